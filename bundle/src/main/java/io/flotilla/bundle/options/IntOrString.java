package io.flotilla.bundle.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** Kubernetes IntOrString: {@code 5} or {@code "25%"}. Exactly one of the two is meaningful. */
public record IntOrString(Integer intValue, String stringValue) {

    public IntOrString {
        if ((intValue == null) == (stringValue == null)) {
            throw new IllegalArgumentException("IntOrString needs exactly one of an int or a string");
        }
    }

    public static IntOrString of(int value) {
        return new IntOrString(value, null);
    }

    public static IntOrString of(String value) {
        return new IntOrString(null, Objects.requireNonNull(value));
    }

    public boolean isInt() {
        return intValue != null;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static IntOrString fromJson(Object value) {
        if (value instanceof Integer i) {
            return of(i);
        }
        if (value instanceof String s) {
            return of(s);
        }
        throw new IllegalArgumentException("expected an integer or a string, got " + value);
    }

    @JsonValue
    Object toJson() {
        return intValue != null ? intValue : stringValue;
    }

    @Override
    public String toString() {
        return String.valueOf(toJson());
    }
}

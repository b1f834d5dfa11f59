package io.flotilla.bundle.options;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Null-preserving, order-preserving immutable copies for record components.
 * {@code null} stays {@code null} because "not set" and "set but empty" differ in Fleet's options
 * (pointer fields). Null elements and values are allowed: Helm values use {@code null} to delete a key.
 */
public final class Copies {

    private Copies() {
    }

    public static <T> List<T> list(List<T> source) {
        return source == null ? null : Collections.unmodifiableList(new ArrayList<>(source));
    }

    public static <K, V> Map<K, V> map(Map<K, V> source) {
        return source == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(source));
    }

    /** Immutable deep copy of a free-form map as produced by YAML/JSON (maps, lists, scalars). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> deepMap(Map<String, Object> source) {
        return (Map<String, Object>) deep(source);
    }

    /** Immutable deep copy of a free-form YAML/JSON value; scalars are returned as is. */
    public static Object deep(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), deep(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(deep(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}

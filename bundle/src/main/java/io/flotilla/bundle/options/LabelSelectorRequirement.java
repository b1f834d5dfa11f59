package io.flotilla.bundle.options;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One Kubernetes label selector expression. Data only: matching lives in the targeting code.
 * {@code values} is never null (an absent list reads as empty).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LabelSelectorRequirement(
        @JsonProperty("key") String key,
        @JsonProperty("operator") String operator,
        @JsonProperty("values") List<String> values) {

    public static final String IN = "In";
    public static final String NOT_IN = "NotIn";
    public static final String EXISTS = "Exists";
    public static final String DOES_NOT_EXIST = "DoesNotExist";

    public LabelSelectorRequirement {
        values = values == null ? List.of() : Copies.list(values);
    }
}

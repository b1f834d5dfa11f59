package io.flotilla.bundle.options;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector ({@code matchLabels} AND {@code matchExpressions}). Data only.
 * A {@code null} selector means "not set"; {@code {}} is a non-null selector with both parts empty
 * (it matches everything). The components are never null.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LabelSelectorSpec(
        @JsonProperty("matchLabels") Map<String, String> matchLabels,
        @JsonProperty("matchExpressions") List<LabelSelectorRequirement> matchExpressions) {

    public LabelSelectorSpec {
        matchLabels = matchLabels == null ? Map.of() : Copies.map(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : Copies.list(matchExpressions);
    }

    /** The empty selector {@code {}}, which matches every label set. */
    public static LabelSelectorSpec everything() {
        return new LabelSelectorSpec(Map.of(), List.of());
    }

    public static LabelSelectorSpec ofLabels(Map<String, String> matchLabels) {
        return new LabelSelectorSpec(matchLabels, List.of());
    }
}

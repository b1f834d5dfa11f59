package io.flotilla.bundle.options;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A GitRepo target, a fleet.yaml {@code overrideTargets} entry, or a Bundle target restriction:
 * the five matcher fields only, no options and no {@code doNotDeploy}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GitTarget(
        @JsonProperty("name") String name,
        @JsonProperty("clusterName") String clusterName,
        @JsonProperty("clusterSelector") LabelSelectorSpec clusterSelector,
        @JsonProperty("clusterGroup") String clusterGroup,
        @JsonProperty("clusterGroupSelector") LabelSelectorSpec clusterGroupSelector) {
}

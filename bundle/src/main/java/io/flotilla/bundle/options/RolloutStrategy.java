package io.flotilla.bundle.options;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A bundle's {@code rolloutStrategy} (fleet-semantics §8). Null components are "not set". */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RolloutStrategy(
        @JsonProperty("maxUnavailable") IntOrString maxUnavailable,
        @JsonProperty("maxUnavailablePartitions") IntOrString maxUnavailablePartitions,
        @JsonProperty("autoPartitionSize") IntOrString autoPartitionSize,
        @JsonProperty("autoPartitionThreshold") Integer autoPartitionThreshold,
        @JsonProperty("partitions") List<Partition> partitions) {

    public RolloutStrategy {
        partitions = Copies.list(partitions);
    }

    /** A manual rollout partition: a matcher (like a target) and its own maxUnavailable. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Partition(
            @JsonProperty("name") String name,
            @JsonProperty("maxUnavailable") IntOrString maxUnavailable,
            @JsonProperty("clusterName") String clusterName,
            @JsonProperty("clusterSelector") LabelSelectorSpec clusterSelector,
            @JsonProperty("clusterGroup") String clusterGroup,
            @JsonProperty("clusterGroupSelector") LabelSelectorSpec clusterGroupSelector) {

        /** The matcher fields of this partition. */
        public GitTarget matcher() {
            return new GitTarget(name, clusterName, clusterSelector, clusterGroup, clusterGroupSelector);
        }
    }
}

package io.flotilla.manager.targeting;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import java.util.List;
import java.util.Map;

/**
 * One BundleDeployment the manager should hold. {@code options} carry the namespace labels/annotations of every
 * bundle target (§3.9), which {@code deploymentId} does not include. {@code matchedCustomizations} are the
 * customization names applied, in order; {@code rolloutPartitions} the indices of the bundle's manual rollout
 * partitions whose matcher selects the cluster.
 */
public record DesiredDeployment(ClusterKey clusterKey, String bdName, String bdNamespace, Map<String, String> labels,
        BundleDeploymentOptions options, String deploymentId, String matchedTarget,
        List<String> matchedCustomizations, List<Integer> rolloutPartitions) {

    public DesiredDeployment {
        rolloutPartitions = rolloutPartitions == null ? List.of() : List.copyOf(rolloutPartitions);
    }
}

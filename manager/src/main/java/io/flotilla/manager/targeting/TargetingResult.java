package io.flotilla.manager.targeting;

import java.util.Map;

/**
 * The outcome of targeting one bundle: a deployment or an exclusion per candidate cluster, or an error (then both
 * maps are empty and the caller keeps the bundle's existing BundleDeployments).
 */
public record TargetingResult(BundleKey bundle, Map<ClusterKey, DesiredDeployment> deployments,
        Map<ClusterKey, Exclusion> exclusions, TargetingError error) {

    public TargetingResult {
        deployments = Map.copyOf(deployments);
        exclusions = Map.copyOf(exclusions);
    }

    public static TargetingResult failed(TargetingError error) {
        return new TargetingResult(error.bundle(), Map.of(), Map.of(), error);
    }

    public boolean failed() {
        return error != null;
    }
}

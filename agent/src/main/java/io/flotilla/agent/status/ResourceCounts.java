package io.flotilla.agent.status;

/** Fleet's ResourceCounts of one BundleDeployment (fleet-semantics §6.11). */
public record ResourceCounts(int ready, int desiredReady, int waitApplied, int modified, int orphaned, int missing,
                             int unknown, int notReady) {

    public static ResourceCounts none() {
        return new ResourceCounts(0, 0, 0, 0, 0, 0, 0, 0);
    }
}

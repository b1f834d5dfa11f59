package io.flotilla.manager.status;

import java.util.List;
import java.util.Objects;

/**
 * What the agent last reported for a BundleDeployment: the part of its {@code status} that aggregation reads.
 *
 * @param errApplied       the {@code Deployed} condition has status False (the last apply failed)
 * @param deployedMessage  message of the {@code Deployed} condition
 * @param installedMessage message of the {@code Installed} condition
 * @param monitoredMessage message of the {@code Monitored} condition
 */
public record BdReport(String appliedDeploymentId, boolean ready, boolean nonModified, List<NonReady> nonReady,
                       List<Modified> modified, boolean incompleteState, ResourceCounts counts,
                       List<ResourceRef> resources, boolean errApplied, String deployedMessage,
                       String installedMessage, String monitoredMessage) {
    public BdReport {
        appliedDeploymentId = Objects.requireNonNullElse(appliedDeploymentId, "");
        nonReady = List.copyOf(Objects.requireNonNullElse(nonReady, List.of()));
        modified = List.copyOf(Objects.requireNonNullElse(modified, List.of()));
        counts = Objects.requireNonNullElse(counts, ResourceCounts.ZERO);
        resources = List.copyOf(Objects.requireNonNullElse(resources, List.of()));
        deployedMessage = Objects.requireNonNullElse(deployedMessage, "");
        installedMessage = Objects.requireNonNullElse(installedMessage, "");
        monitoredMessage = Objects.requireNonNullElse(monitoredMessage, "");
    }

    /** A report of a deployment that applied cleanly and is ready and unmodified. */
    public static BdReport readyFor(String deploymentId, ResourceCounts counts, List<ResourceRef> resources) {
        return new BdReport(deploymentId, true, true, List.of(), List.of(), false, counts, resources, false, "", "", "");
    }
}

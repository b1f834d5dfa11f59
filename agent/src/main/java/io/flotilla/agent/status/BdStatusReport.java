package io.flotilla.agent.status;

import io.flotilla.agent.drift.ModifiedEntry;
import io.flotilla.agent.readiness.NonReadyStatus;
import java.util.List;

/**
 * The status the agent reports for one BundleDeployment (fleet-semantics §1.3): {@code nonReadyStatus} and
 * {@code modifiedStatus} hold at most {@value StatusComposer#MAX_ENTRIES} entries each, with
 * {@code incompleteState} set when either was cut. {@code errApplied} and {@code message} carry the last apply
 * error (also in the {@code Deployed} condition).
 */
public record BdStatusReport(String bdName, String appliedDeploymentId, boolean ready, boolean nonModified,
                             List<NonReadyStatus> nonReadyStatus, List<ModifiedEntry> modifiedStatus,
                             boolean incompleteState, List<ResourceEntry> resources, ResourceCounts resourceCounts,
                             List<Condition> conditions, boolean errApplied, String message) {

    public BdStatusReport {
        nonReadyStatus = List.copyOf(nonReadyStatus);
        modifiedStatus = List.copyOf(modifiedStatus);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
        message = message == null ? "" : message;
    }

    public Condition condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
    }
}

package io.flotilla.agent.deploy;

import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.status.ApplyFailure;
import java.util.List;

/**
 * What one {@link Deployer#apply} did: the objects it created, patched and pruned, the objects it now owns,
 * the deploymentID now applied (the previous one when the apply failed with {@code ErrApplied}), and the
 * failure, if any.
 */
public record ApplyOutcome(String bdName, String deploymentId, String appliedDeploymentId, List<ObjectRef> created,
                           List<ObjectRef> patched, List<ObjectRef> pruned, List<ObjectRef> owned,
                           List<ObjectError> errors, ApplyFailure failure) {

    public ApplyOutcome {
        created = List.copyOf(created);
        patched = List.copyOf(patched);
        pruned = List.copyOf(pruned);
        owned = List.copyOf(owned);
        errors = List.copyOf(errors);
    }

    public boolean succeeded() {
        return failure == null;
    }

    /** True when the apply changed anything in the cluster's objects. */
    public boolean wroteObjects() {
        return !created.isEmpty() || !patched.isEmpty() || !pruned.isEmpty();
    }
}

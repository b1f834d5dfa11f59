package io.flotilla.agent.deploy;

import io.flotilla.agent.model.ObjectRef;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import java.util.List;
import java.util.Map;

/**
 * The ownership record of one BundleDeployment as kept in the downstream cluster: the deploymentID applied, the
 * objects the agent owns for it, and the last request (deploymentID, options and objects; the requested ID
 * differs from the applied one after an {@code ErrApplied} failure) (so a restarted agent can monitor
 * and correct drift without waiting for the manager).
 */
public record OwnedState(String bdName, String deploymentId, String requestedDeploymentId, List<ObjectRef> owned,
                         BundleDeploymentOptions options, List<Map<String, Object>> objects) {

    public OwnedState {
        owned = List.copyOf(owned);
        objects = List.copyOf(objects);
    }

    /** The last request, as the monitor needs it after a restart. */
    public DeploymentRequest request() {
        return new DeploymentRequest(bdName, requestedDeploymentId, options, objects);
    }
}

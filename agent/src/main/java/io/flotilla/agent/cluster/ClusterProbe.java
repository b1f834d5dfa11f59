package io.flotilla.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.proto.v1.ClusterHealth;

/** Asks the downstream cluster's API for its version: reachable or not, and why. Blocking. */
public final class ClusterProbe {
    private final KubernetesClient client;

    public ClusterProbe(KubernetesClient client) {
        this.client = client;
    }

    public ClusterHealth probe() {
        try {
            var version = client.getKubernetesVersion();
            return ClusterHealth.newBuilder().setApiReachable(true)
                    .setKubernetesVersion(version.getGitVersion() == null ? "" : version.getGitVersion()).build();
        } catch (RuntimeException e) {
            // fabric8 wraps the useful part ("Connection refused", "401 Unauthorized") in a generic message.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
            return ClusterHealth.newBuilder().setApiReachable(false)
                    .setMessage("cannot reach " + client.getMasterUrl() + ": " + message).build();
        }
    }
}

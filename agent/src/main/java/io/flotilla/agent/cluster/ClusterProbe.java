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
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return ClusterHealth.newBuilder().setApiReachable(false)
                    .setMessage("cannot reach " + client.getMasterUrl() + ": " + message).build();
        }
    }
}

package io.flotilla.manager.store.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The manager's client of the upstream cluster. */
public final class KubeClients {
    private KubeClients() {
    }

    /**
     * From {@code kubeconfig} when given, else as kubectl finds its cluster: in-cluster service account,
     * {@code $KUBECONFIG}, {@code ~/.kube/config}.
     */
    public static KubernetesClient upstream(Path kubeconfig) {
        Config config;
        if (kubeconfig != null) {
            try {
                config = Config.fromKubeconfig(Files.readString(kubeconfig));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
            }
        } else {
            config = Config.autoConfigure(null);
        }
        // Status writes and informers of thousands of BDs: more concurrent requests than the default 64/5 per host.
        config.setMaxConcurrentRequests(128);
        config.setMaxConcurrentRequestsPerHost(64);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}

package io.flotilla.manager.store.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The manager's client of the upstream cluster. */
public final class KubeClients {
    private KubeClients() {
    }

    /**
     * A client on {@code vertx} (closed with it), from {@code kubeconfig} when given, else as kubectl finds its cluster: in-cluster service account,
     * {@code $KUBECONFIG}, {@code ~/.kube/config}.
     */
    public static KubernetesClient upstream(Vertx vertx, Path kubeconfig) {
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
        // On the manager's own Vert.x: fabric8's default factory shares a Vert.x of its own between clients, and a
        // client built after another one was closed (a manager restarted in one JVM) never got an answer.
        return new KubernetesClientBuilder().withHttpClientFactory(new Vertx5HttpClientFactory(vertx))
                .withConfig(config).build();
    }
}

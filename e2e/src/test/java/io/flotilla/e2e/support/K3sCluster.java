package io.flotilla.e2e.support;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real single-node k3s in a container (Testcontainers), as one downstream cluster. */
public final class K3sCluster implements DownstreamCluster {
    public static final DockerImageName IMAGE = DockerImageName.parse("rancher/k3s:v1.31.4-k3s1");
    private final K3sContainer container;
    private final Path kubeconfig;
    private final KubernetesClient client;

    public K3sCluster(String name, Path dir) throws IOException {
        container = new K3sContainer(IMAGE);
        container.start();
        String yaml = container.getKubeConfigYaml();
        kubeconfig = dir.resolve(name + ".kubeconfig");
        Files.writeString(kubeconfig, yaml);
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        container.stop();
    }
}

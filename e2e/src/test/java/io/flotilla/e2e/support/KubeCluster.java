package io.flotilla.e2e.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.testkit.KubeApiServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One downstream cluster on a real kube-apiserver + etcd of its own (see {@link KubeApiServer}): the agent
 * connects as {@link KubeApiServer.User#AGENT}, the test acts as {@link KubeApiServer.User#ADMIN}.
 */
public final class KubeCluster implements DownstreamCluster {
    private final KubeApiServer server;

    public KubeCluster(String name, Path dir) throws IOException {
        server = KubeApiServer.start(name, Files.createDirectories(dir.resolve("kube-" + name)));
    }

    public KubeApiServer server() {
        return server;
    }

    @Override
    public Path kubeconfig() {
        return server.kubeconfig();
    }

    @Override
    public KubernetesClient client() {
        return server.client();
    }

    @Override
    public void close() {
        server.close();
    }
}

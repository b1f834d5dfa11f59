package io.flotilla.e2e.support;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/** One downstream "cluster": fabric8's CRUD mock API server on 127.0.0.1 and a kubeconfig that points at it. */
public final class MockCluster implements DownstreamCluster {
    private final KubernetesMockServer server;
    private final Path kubeconfig;
    private final NamespacedKubernetesClient client;


    public MockCluster(String name, Path dir) throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        kubeconfig = dir.resolve(name + ".kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster: {server: "%2$s"}
                contexts:
                - name: %1$s
                  context: {cluster: %1$s, user: %1$s, namespace: default}
                current-context: %1$s
                users:
                - name: %1$s
                  user: {token: mock}
                """.formatted(name, client.getMasterUrl().toString()));
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public NamespacedKubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowShutdown) {
            // MockWebServer waits (10 s) for watch connections that the closed client tears down asynchronously;
            // on a loaded machine that can time out. The server's sockets are closed either way.
            System.err.println("mock API server shutdown: " + slowShutdown.getMessage());
        }
    }
}

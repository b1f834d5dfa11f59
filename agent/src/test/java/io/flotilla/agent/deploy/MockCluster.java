package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's CRUD mock API server on 127.0.0.1, with expectations taking precedence (to script API errors), and a
 * client for it.
 */
final class MockCluster implements AutoCloseable {
    final KubernetesMockServer server;
    final NamespacedKubernetesClient client;

    MockCluster() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        client = server.createClient();
    }

    /** Drains the recorded requests and returns their "METHOD path" lines. */
    List<String> takeRequests() throws InterruptedException {
        List<String> lines = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            lines.add(request.getMethod() + " " + request.getPath());
        }
        return lines;
    }

    /** The write requests (anything but GET) among the drained requests. */
    List<String> takeWrites() throws InterruptedException {
        return takeRequests().stream().filter(line -> !line.startsWith("GET ")).toList();
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

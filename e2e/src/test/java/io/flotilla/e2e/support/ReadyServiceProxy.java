package io.flotilla.e2e.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a Kubernetes Service gives the agents in front of manager replicas: one address, forwarding each new TCP
 * connection to a backend whose {@code /readyz} answers 200 (probed every 100 ms, like a readiness probe with a short
 * period). Connections are not moved: when their backend dies they break and the client reconnects.
 */
public final class ReadyServiceProxy implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final List<Integer> backends;
    private final HttpClient probe;
    private final NetClient net;
    private final NetServer server;
    private final long timer;
    private volatile int ready = -1;

    public ReadyServiceProxy(List<Integer> backendPorts) throws Exception {
        this(backendPorts, false);
    }

    /** @param tls the backends serve TLS: probed over HTTPS without verifying, as a kubelet's HTTPS probe does */
    public ReadyServiceProxy(List<Integer> backendPorts, boolean tls) throws Exception {
        this.backends = List.copyOf(backendPorts);
        this.probe = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(200).setIdleTimeout(1)
                .setSsl(tls).setTrustAll(tls).setVerifyHost(!tls));
        this.net = vertx.createNetClient();
        this.timer = vertx.setPeriodic(100, id -> probeAll());
        this.server = vertx.createNetServer().connectHandler(this::forward);
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    /** The backend port connections go to now, or -1 when none is ready. */
    public int readyBackend() {
        return ready;
    }

    private void probeAll() {
        for (int port : backends) {
            probe.request(HttpMethod.GET, port, "127.0.0.1", "/readyz")
                    .compose(req -> req.send().map(resp -> resp.statusCode()))
                    .onComplete(ar -> {
                        boolean ok = ar.succeeded() && ar.result() == 200;
                        if (ok) {
                            ready = port;
                        } else if (ready == port) {
                            ready = -1;
                        }
                    });
        }
    }

    private void forward(NetSocket client) {
        int target = ready;
        if (target < 0) {
            client.close();
            return;
        }
        client.pause();
        net.connect(target, "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                client.close();
                return;
            }
            NetSocket backend = ar.result();
            client.pipeTo(backend);
            backend.pipeTo(client);
            client.resume();
        });
    }

    @Override
    public void close() throws Exception {
        vertx.cancelTimer(timer);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

package io.flotilla.agent.metrics;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * The agent's own small HTTP listener for {@code GET /metrics} (Prometheus text format), plain HTTP without
 * authentication: it is off unless {@code --metrics-listen} is given, and should listen on the pod's IP or loopback
 * only (the figures name BDs by state, not objects or secrets).
 */
public final class MetricsServer {
    private final Vertx vertx;
    private final PrometheusAgentMetrics metrics;
    private final Context stateContext;
    private HttpServer server;

    /** @param stateContext the context that owns the BD state the gauges read */
    public MetricsServer(Vertx vertx, PrometheusAgentMetrics metrics, Context stateContext) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.stateContext = stateContext;
    }

    /** Listens on {@code host:port}; fails with a message naming the address when it cannot. */
    public Future<Integer> listen(String host, int port) {
        server = vertx.createHttpServer();
        server.requestHandler(req -> {
            if (!req.path().equals("/metrics")) {
                req.response().setStatusCode(404).putHeader("content-type", "text/plain").end("only /metrics is served here\n");
                return;
            }
            io.vertx.core.Promise<Void> refreshed = io.vertx.core.Promise.promise();
            stateContext.runOnContext(v -> {
                try {
                    metrics.refreshStates();
                } finally {
                    refreshed.complete();
                }
            });
            refreshed.future().compose(v -> vertx.executeBlocking(metrics::scrape, false)).onComplete(ar -> {
                if (ar.succeeded()) {
                    req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
                } else {
                    req.response().setStatusCode(500).end("metrics could not be collected: " + ar.cause().getMessage());
                }
            });
        });
        return server.listen(port, host).map(HttpServer::actualPort).recover(e -> Future.failedFuture(
                new IllegalStateException("cannot listen for metrics on " + host + ":" + port + ": " + e.getMessage(), e)));
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}

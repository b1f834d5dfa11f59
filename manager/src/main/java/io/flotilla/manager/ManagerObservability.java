package io.flotilla.manager;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.manager.agents.AgentStreamServer;
import io.flotilla.manager.agents.ClusterLiveness;
import io.flotilla.manager.api.ApiError;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.deploy.AgentDelivery;
import io.flotilla.manager.deploy.DeploymentController;
import io.flotilla.manager.events.AsyncEventRecorder;
import io.flotilla.manager.events.EventCorrelator;
import io.flotilla.manager.events.EventRecorder;
import io.flotilla.manager.events.EventStore;
import io.flotilla.manager.gitops.GitRepoController;
import io.flotilla.manager.metrics.ManagerMetrics;
import io.flotilla.manager.rest.EventsApi;
import io.flotilla.manager.rest.RestApi;
import io.flotilla.manager.statusapi.StatusController;
import io.flotilla.manager.store.MvEventStore;
import io.flotilla.manager.store.MvStoreStore;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.kube.KubeEventStore;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.ext.web.Router;

import java.time.Clock;
import java.util.List;

/**
 * The manager's metrics ({@code GET /metrics}) and events ({@code GET /api/v1/[namespaces/NS/]events}), wired into
 * the controllers in one place. {@code /metrics} sits behind the same authentication as the API: any valid bearer
 * token, a viewer's included (Prometheus' {@code authorization} / {@code bearer_token_file}).
 */
final class ManagerObservability implements AutoCloseable {
    private final ManagerMetrics metrics;
    private final AsyncEventRecorder recorder;
    private final EventStore eventStore;
    private final Blocking blocking;

    /** @param rawStore the store as opened (the embedded one keeps events in its file); kube: the upstream client */
    ManagerObservability(ManagerMetrics metrics, Store rawStore, KubernetesClient kubeClient, Blocking blocking, Clock clock) {
        this.metrics = metrics;
        this.blocking = blocking;
        this.eventStore = rawStore instanceof MvStoreStore mv ? new MvEventStore(mv) : new KubeEventStore(kubeClient);
        this.recorder = new AsyncEventRecorder(eventStore, clock, EventCorrelator.Settings.DEFAULTS, involved ->
                Kind.byKindName(involved.kind())
                        .flatMap(kind -> rawStore.get(new ObjectKey(kind, involved.namespace(), involved.name())))
                        .map(o -> o.path("metadata").path("uid").asText(""))
                        .orElse(""));
        metrics.functionCounter("flotilla.events.dropped", "Events dropped because the recorder's queue was full",
                recorder, AsyncEventRecorder::dropped);
        metrics.functionCounter("flotilla.events.write.failures", "Event writes the store refused (best effort)",
                recorder, AsyncEventRecorder::failed);
    }

    /**
     * The manager's Vert.x, reporting into the same registry through vertx-micrometer-metrics: HTTP server requests
     * ({@code vertx_http_server_*}, by local address, method and code: no paths, whose names are unbounded), Vert.x'
     * worker pools ({@code vertx_pool_*}; the store and git pools are plain executors, timed by the store metrics) and
     * JVM metrics ({@code jvm_*}). TCP-level counters, the HTTP client, the event bus and verticles are left out. Each manager has a registry of its own
     * (several may run in one JVM, in tests).
     */
    static Vertx vertx(ManagerMetrics metrics) {
        MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
                .setRegistryName("flotilla-manager-" + java.util.UUID.randomUUID())
                .setJvmMetricsEnabled(true)
                .setLabels(java.util.EnumSet.of(Label.LOCAL, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME));
        for (MetricsDomain off : List.of(MetricsDomain.NET_SERVER, MetricsDomain.NET_CLIENT, MetricsDomain.HTTP_CLIENT,
                MetricsDomain.DATAGRAM_SOCKET, MetricsDomain.EVENT_BUS, MetricsDomain.VERTICLES)) {
            options.addDisabledMetricsCategory(off);
        }
        return Vertx.builder().with(new VertxOptions().setMetricsOptions(options))
                .withMetrics(new MicrometerMetricsFactory(metrics.registry())).build();
    }

    ManagerMetrics metrics() {
        return metrics;
    }

    EventRecorder events() {
        return recorder;
    }

    void wire(AgentStreamServer agents, ClusterLiveness liveness, GitRepoController gitRepos,
              DeploymentController deployments, StatusController status, AgentDelivery delivery) {
        agents.observe(metrics);
        liveness.observe(metrics, recorder);
        gitRepos.observe(metrics, recorder);
        deployments.observe(metrics, recorder);
        status.observe(metrics);
        delivery.observe(recorder);
        recorder.start();
    }

    /** This replica starts leading: in Kubernetes mode the previous leader may have written events meanwhile. */
    void leading() {
        if (!(eventStore instanceof MvEventStore)) {
            recorder.resync();
        }
    }

    /** {@code /metrics} and the events API; called after the access handler is in place. */
    void routes(Router router) {
        router.get("/metrics").handler(ctx -> blocking.run(metrics::scrape).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().putHeader("content-type", metrics.contentType()).end(ar.result());
            } else {
                RestApi.fail(ctx, new ApiError(500, "InternalError", null, "metrics could not be collected: "
                        + ar.cause().getMessage()));
            }
        }));
        new EventsApi(eventStore, blocking).routes(router);
    }

    /** Counts every non-gRPC request by the status code it is answered with. */
    void count(HttpServerRequest request) {
        request.response().endHandler(v -> metrics.restRequest(request.response().getStatusCode()));
    }

    @Override
    public void close() {
        recorder.close();
    }
}

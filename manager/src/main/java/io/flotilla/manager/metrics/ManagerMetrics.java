package io.flotilla.manager.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The manager's Prometheus metrics (Micrometer). Hot paths only touch counters and timers (lock-free); every gauge
 * is computed when scraped ({@link #scrape}, on a worker thread): the figures that need a walk over state (BDs by
 * state, clusters by state) are taken by {@link #onScrape} hooks, once per scrape. Names follow Prometheus
 * conventions: {@code flotilla_} prefix, seconds, {@code _total} counters, histograms for latencies.
 */
public final class ManagerMetrics {
    private static final Duration[] FAST_BUCKETS = buckets(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10);
    private static final Duration[] SLOW_BUCKETS = buckets(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120);

    private final PrometheusMeterRegistry registry;
    private final List<Runnable> scrapeHooks = new CopyOnWriteArrayList<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> requests = new ConcurrentHashMap<>();
    private final Counter streamsOpened;
    private final Counter streamsClosed;
    private final Counter fetchSucceeded;
    private final Counter fetchFailed;
    private final Timer fetchDuration;
    private final Counter bundlesBuilt;
    private final Counter bundlesRefused;
    private final Timer targetingDuration;
    private final Counter bdsCreated;
    private final Counter bdsUpdated;
    private final Counter bdsDeleted;
    private final Timer reportToPublished;
    private final Timer storeWrite;
    private final Timer storeDelete;

    public ManagerMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public ManagerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        streamsOpened = Counter.builder("flotilla.agent.streams.opened")
                .description("Agent streams (AgentStream.Connect) accepted").register(registry);
        streamsClosed = Counter.builder("flotilla.agent.streams.closed")
                .description("Accepted agent streams that ended").register(registry);
        fetchSucceeded = Counter.builder("flotilla.gitrepo.fetches").tag("result", "success")
                .description("Git fetches of a new commit (or changed spec) and failed remote checks or fetches")
                .register(registry);
        fetchFailed = Counter.builder("flotilla.gitrepo.fetches").tag("result", "failure")
                .description("Git fetches of a new commit (or changed spec) and failed remote checks or fetches")
                .register(registry);
        fetchDuration = Timer.builder("flotilla.gitrepo.fetch.duration")
                .description("Time to fetch a commit and read it into bundles").serviceLevelObjectives(SLOW_BUCKETS)
                .register(registry);
        bundlesBuilt = Counter.builder("flotilla.bundles.built")
                .description("Bundles read from fetched commits").register(registry);
        bundlesRefused = Counter.builder("flotilla.bundles.refused")
                .description("Commits not applied because a bundle (fleet.yaml) was invalid").register(registry);
        targetingDuration = Timer.builder("flotilla.targeting.duration")
                .description("Targeting recompute after a Bundle, Cluster or ClusterGroup change, with its BD writes")
                .serviceLevelObjectives(FAST_BUCKETS).register(registry);
        bdsCreated = bdChanges("created");
        bdsUpdated = bdChanges("updated");
        bdsDeleted = bdChanges("deleted");
        reportToPublished = Timer.builder("flotilla.status.report.to.published.duration")
                .description("Agent report received until the changed GitRepo/Bundle/Cluster status is published")
                .serviceLevelObjectives(FAST_BUCKETS).register(registry);
        storeWrite = Timer.builder("flotilla.store.write.duration").tag("operation", "apply")
                .description("Durable store writes (a batch of creates/updates/status updates, or a delete)")
                .serviceLevelObjectives(FAST_BUCKETS).register(registry);
        storeDelete = Timer.builder("flotilla.store.write.duration").tag("operation", "delete")
                .description("Durable store writes (a batch of creates/updates/status updates, or a delete)")
                .serviceLevelObjectives(FAST_BUCKETS).register(registry);
        for (String reason : List.of("unauthenticated", "permission_denied", "invalid", "standby")) {
            streamRefusedCounter(reason);
        }
    }

    private Counter bdChanges(String change) {
        return Counter.builder("flotilla.targeting.bundledeployment.changes").tag("change", change)
                .description("BundleDeployments created, updated (new deploymentID or options) and deleted by targeting")
                .register(registry);
    }

    private static Duration[] buckets(double... seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = Duration.ofNanos((long) (seconds[i] * 1e9));
        }
        return out;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Runs {@code hook} before every scrape (to take a snapshot the gauges read). */
    public void onScrape(Runnable hook) {
        scrapeHooks.add(hook);
    }

    /** A gauge computed at scrape time. */
    public <T> void gauge(String name, String description, Map<String, String> tags, T state, ToDoubleFunction<T> value) {
        Gauge.Builder<T> b = Gauge.builder(name, state, value).description(description).strongReference(true);
        tags.forEach(b::tag);
        b.register(registry);
    }

    /** A counter kept elsewhere (an AtomicLong), read at scrape time. */
    public <T> void functionCounter(String name, String description, T state, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, state, value).description(description).register(registry);
    }

    /** The Prometheus text exposition. Blocking-free but not free: call it from a worker thread. */
    public String scrape() {
        for (Runnable hook : scrapeHooks) {
            hook.run();
        }
        return registry.scrape();
    }

    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    public void streamOpened() {
        streamsOpened.increment();
    }

    public void streamClosed() {
        streamsClosed.increment();
    }

    /** @param reason unauthenticated, permission_denied, invalid or standby */
    public void streamRefused(String reason) {
        streamRefusedCounter(reason).increment();
    }

    private Counter streamRefusedCounter(String reason) {
        return refused.computeIfAbsent(reason, r -> Counter.builder("flotilla.agent.streams.refused").tag("reason", r)
                .description("Agent streams refused, by reason").register(registry));
    }

    /** A commit fetched in {@code nanos}. */
    public void gitFetched(long nanos) {
        fetchSucceeded.increment();
        fetchDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A remote check or fetch that failed (each retry counts). */
    public void gitFetchFailed() {
        fetchFailed.increment();
    }

    public void bundlesBuilt(int count) {
        bundlesBuilt.increment(count);
    }

    public void bundlesRefused() {
        bundlesRefused.increment();
    }

    public void targeting(long nanos, int created, int updated, int deleted) {
        targetingDuration.record(nanos, TimeUnit.NANOSECONDS);
        if (created > 0) {
            bdsCreated.increment(created);
        }
        if (updated > 0) {
            bdsUpdated.increment(updated);
        }
        if (deleted > 0) {
            bdsDeleted.increment(deleted);
        }
    }

    public void reportPublished(long nanos) {
        reportToPublished.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void storeWrite(boolean delete, long nanos) {
        (delete ? storeDelete : storeWrite).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A REST (non-gRPC) request answered with {@code code}. */
    public void restRequest(int code) {
        requests.computeIfAbsent(code, c -> Counter.builder("flotilla.http.requests").tag("code", Integer.toString(c))
                .description("REST, SSE and /metrics requests answered, by HTTP status code").register(registry)).increment();
    }

    /** Gauges over a snapshot map (label value → figure) that a scrape hook refreshes. */
    public void labelledGauges(String name, String description, String label, List<String> values,
                               Supplier<Map<String, ? extends Number>> snapshot) {
        for (String v : values) {
            gauge(name, description, Map.of(label, v), snapshot, s -> {
                Number n = s.get().get(v);
                return n == null ? 0 : n.doubleValue();
            });
        }
    }
}

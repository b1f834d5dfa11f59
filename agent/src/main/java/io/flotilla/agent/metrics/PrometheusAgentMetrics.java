package io.flotilla.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The agent's metrics in a Prometheus registry, scraped by {@link MetricsServer}. */
public final class PrometheusAgentMetrics implements AgentMetrics {
    /** Fleet's BD states, as the agent sees them (the last status it reported). */
    public static final List<String> STATES = List.of("Ready", "NotReady", "Modified", "WaitApplied", "ErrApplied");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> applies = new ConcurrentHashMap<>();
    private final Map<String, Counter> apiErrors = new ConcurrentHashMap<>();
    private final Timer applyDuration;
    private final Counter driftCorrections;
    private final Counter reconnects;
    private volatile Supplier<Map<String, Integer>> states = Map::of;
    private volatile Map<String, Integer> snapshot = Map.of();

    public PrometheusAgentMetrics() {
        applyDuration = Timer.builder("flotilla.agent.apply.duration")
                .description("Rendering and applying one BundleDeployment to the cluster")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
                        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60))
                .register(registry);
        driftCorrections = Counter.builder("flotilla.agent.drift.corrections")
                .description("Drifted BundleDeployments re-applied (correctDrift)").register(registry);
        reconnects = Counter.builder("flotilla.agent.stream.reconnects")
                .description("Reconnect attempts after the stream to the manager ended or could not be opened").register(registry);
        for (String result : List.of("success", "failure", "render_error")) {
            applyCounter(result);
        }
        for (String state : STATES) {
            Gauge.builder("flotilla.agent.bundledeployments", () -> snapshot.getOrDefault(state, 0))
                    .description("BundleDeployments this agent holds, by the state it last reported")
                    .tag("state", state).strongReference(true).register(registry);
        }
    }

    private Counter applyCounter(String result) {
        return applies.computeIfAbsent(result, r -> Counter.builder("flotilla.agent.applies").tag("result", r)
                .description("BundleDeployment applies, by result").register(registry));
    }

    @Override
    public void applied(String result, long nanos) {
        applyCounter(result).increment();
        applyDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void apiError(String reason) {
        apiErrors.computeIfAbsent(reason, r -> Counter.builder("flotilla.agent.api.errors").tag("reason", r)
                .description("Kubernetes API requests that failed, by reason").register(registry)).increment();
    }

    @Override
    public void driftCorrected() {
        driftCorrections.increment();
    }

    @Override
    public void streamReconnect() {
        reconnects.increment();
    }

    @Override
    public void bdStates(Supplier<Map<String, Integer>> states) {
        this.states = states;
    }

    /** Takes the BDs-by-state snapshot; call on the context that owns the BD state. */
    public void refreshStates() {
        snapshot = Map.copyOf(states.get());
    }

    /** The Prometheus text exposition (call off the event loop). */
    public String scrape() {
        return registry.scrape();
    }
}

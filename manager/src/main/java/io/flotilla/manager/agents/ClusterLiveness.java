package io.flotilla.manager.agents;

import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.store.StatusWriter;
import io.flotilla.manager.store.Store;
import io.flotilla.proto.v1.ClusterHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Tracks which agents are connected and when each was last seen, and writes that to the Cluster's
 * status: {@code status.agent} and the {@code AgentConnected} and {@code ClusterAPIReachable} conditions;
 * it tells status aggregation when a cluster comes online and when it goes offline (its stream gone longer
 * than the offline timeout), which then shows {@code Offline} on the Cluster and its aggregates.
 * Event-loop confined; status writes go through {@link Blocking}, ordered per manager.
 */
public final class ClusterLiveness {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLiveness.class);
    /** lastSeen is persisted at most this often while a stream is healthy (heartbeats stay in memory). */
    private static final Duration LAST_SEEN_PERSIST_INTERVAL = Duration.ofSeconds(15);

    private final Blocking blocking;
    private final StatusWriter statusWriter;
    private final Clock clock;
    private final Duration offlineTimeout;
    /** Concurrent: metrics scrapes count it from another thread; every change happens on the event loop. */
    private final Map<ObjectKey, State> states = new java.util.concurrent.ConcurrentHashMap<>();
    private io.flotilla.manager.events.EventRecorder events = io.flotilla.manager.events.EventRecorder.NONE;
    private final java.util.function.BiConsumer<ObjectKey, Boolean> onlineObserver;

    private static final class State {
        boolean connected;
        volatile boolean offline;
        Instant lastSeen;
        Instant lastPersisted = Instant.EPOCH;
        Boolean apiReachable;
        String apiMessage = "";
        String agentVersion = "";
    }

    /** @param onlineObserver told when a cluster comes online (stream opened) or goes offline (timeout) */
    public ClusterLiveness(Blocking blocking, Store store, Clock clock, Duration offlineTimeout,
                           java.util.function.BiConsumer<ObjectKey, Boolean> onlineObserver) {
        this.onlineObserver = onlineObserver;
        this.blocking = blocking;
        this.statusWriter = new StatusWriter(store);
        this.clock = clock;
        this.offlineTimeout = offlineTimeout;
    }

    /** Clusters by state as a gauge ({@code flotilla_clusters{state="online|offline"}}), and online/offline events. */
    public void observe(io.flotilla.manager.metrics.ManagerMetrics metrics, io.flotilla.manager.events.EventRecorder events) {
        this.events = events;
        for (boolean offline : new boolean[] {false, true}) {
            metrics.gauge("flotilla.clusters", "Clusters known to this manager's agent liveness, by state",
                    Map.of("state", offline ? "offline" : "online"), states,
                    m -> m.values().stream().filter(s -> s.offline == offline).count());
        }
    }

    /** After a manager start every known cluster counts as disconnected now, so it goes offline unless it returns. */
    public void assumeDisconnected(ObjectKey cluster) {
        State s = states.computeIfAbsent(cluster, k -> new State());
        s.lastSeen = clock.instant();
    }

    public void connected(ObjectKey cluster, String agentVersion) {
        State s = states.computeIfAbsent(cluster, k -> new State());
        boolean wasOffline = s.offline;
        s.connected = true;
        s.offline = false;
        s.lastSeen = clock.instant();
        s.agentVersion = agentVersion;
        LOG.info("{}: agent connected{}", cluster, wasOffline ? " (was offline)" : "");
        if (wasOffline) {
            events.normal("Cluster", cluster.namespace(), cluster.name(), "ClusterOnline",
                    "agent connected again; the cluster is online");
        }
        onlineObserver.accept(cluster, true);
        persist(cluster, s);
    }

    public void agentVersion(ObjectKey cluster, String agentVersion) {
        State s = states.get(cluster);
        if (s != null && !s.agentVersion.equals(agentVersion)) {
            s.agentVersion = agentVersion;
            persist(cluster, s);
        }
    }

    public void seen(ObjectKey cluster, ClusterHealth health) {
        State s = states.get(cluster);
        if (s == null) {
            return;
        }
        s.lastSeen = clock.instant();
        boolean healthChanged = health != null && (s.apiReachable == null || s.apiReachable != health.getApiReachable()
                || !s.apiMessage.equals(health.getMessage()));
        if (health != null) {
            if (healthChanged) {
                LOG.info("{}: agent reports its Kubernetes API {}{}", cluster,
                        health.getApiReachable() ? "reachable" : "unreachable",
                        health.getMessage().isEmpty() ? "" : ": " + health.getMessage());
            }
            s.apiReachable = health.getApiReachable();
            s.apiMessage = health.getMessage();
        }
        if (healthChanged || Duration.between(s.lastPersisted, s.lastSeen).compareTo(LAST_SEEN_PERSIST_INTERVAL) >= 0) {
            persist(cluster, s);
        }
    }

    public void disconnected(ObjectKey cluster, String why) {
        State s = states.get(cluster);
        if (s == null || !s.connected) {
            return;
        }
        s.connected = false;
        s.lastSeen = clock.instant();
        LOG.info("{}: agent stream closed ({}); offline in {}s unless it reconnects", cluster, why,
                offlineTimeout.toSeconds());
        persist(cluster, s);
    }

    public void forget(ObjectKey cluster) {
        states.remove(cluster);
    }

    public boolean isOnline(ObjectKey cluster) {
        State s = states.get(cluster);
        return s != null && !s.offline && (s.connected || s.lastSeen != null);
    }

    /** Called every second: marks clusters offline whose stream has been gone (or silent) past the timeout. */
    public void sweep() {
        Instant now = clock.instant();
        states.forEach((cluster, s) -> {
            if (!s.offline && s.lastSeen != null && Duration.between(s.lastSeen, now).compareTo(offlineTimeout) > 0) {
                s.offline = true;
                s.connected = false;
                LOG.warn("{}: offline, agent last seen {} ({}s ago)", cluster, s.lastSeen,
                        Duration.between(s.lastSeen, now).toSeconds());
                events.warning("Cluster", cluster.namespace(), cluster.name(), "ClusterOffline",
                        "no agent stream for longer than the offline timeout (" + offlineTimeout.toSeconds()
                                + "s); agent last seen " + s.lastSeen);
                onlineObserver.accept(cluster, false);
                persist(cluster, s);
            }
        });
    }

    private void persist(ObjectKey cluster, State s) {
        Instant now = clock.instant();
        s.lastPersisted = now;
        boolean connected = s.connected;
        boolean offline = s.offline;
        Instant lastSeen = s.lastSeen;
        Boolean apiReachable = s.apiReachable;
        String apiMessage = s.apiMessage;
        String agentVersion = s.agentVersion;
        blocking.runOrdered(() -> statusWriter.patch(cluster, status -> {
            var agent = status.putObject("agent");
            agent.put("lastSeen", lastSeen.toString());
            agent.put("connected", connected);
            agent.put("agentVersion", agentVersion);
            Conditions.set(status, "AgentConnected", connected, connected ? "Connected" : offline ? "Offline" : "Disconnected",
                    connected ? "agent stream open" : "agent last seen " + lastSeen, now);
            if (apiReachable != null) {
                Conditions.set(status, "ClusterAPIReachable", apiReachable, apiReachable ? "Reachable" : "Unreachable",
                        apiMessage, now);
            }
        })).onFailure(e -> LOG.error("{}: could not store agent liveness: {}", cluster, e.toString()));
    }

    static ObjectKey clusterKey(String namespace, String name) {
        return new ObjectKey(Kind.CLUSTER, namespace, name);
    }
}

package io.flotilla.manager.statusapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.options.LabelSelectorSpec;
import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.deploy.TargetingInputs;
import io.flotilla.manager.status.BdEvent;
import io.flotilla.manager.status.BdKey;
import io.flotilla.manager.status.StatusIndex;
import io.flotilla.manager.status.StatusKey;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreException;
import io.flotilla.manager.store.StoreListener;
import io.flotilla.manager.store.StoreOp;
import io.flotilla.manager.targeting.LabelSelector;
import io.flotilla.manager.targeting.Selectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps GitRepo, Bundle, Cluster and ClusterGroup status equal to what their BundleDeployments say, on
 * every BD event. One thread owns the {@link StatusIndex}: store events (BD created, updated by an agent
 * report, deleted; clusters and groups changed), liveness and targeting facts are applied in O(1) per
 * event; each changed status is published to the {@link StatusHub} at once and written to the store
 * with coalescing (at most every {@value #PERSIST_INTERVAL_MS} ms per object).
 */
public final class StatusController implements StoreListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusController.class);
    static final long PERSIST_INTERVAL_MS = 200;
    /** Status fields the index owns; every other status field (commit, agent, git conditions) is kept. */
    private static final Set<String> OWNED_CONDITIONS = Set.of("Ready", "Offline");

    private final Store store;
    private final StatusHub hub;
    private final Clock clock;
    private final StatusIndex index = new StatusIndex();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "flotilla-status");
        t.setDaemon(true);
        return t;
    });
    /** Changed since last persisted; filled by the status thread, drained by the persister. */
    private final Set<StatusKey> dirty = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Store writes run here, so a slow commit never delays publication. */
    private final ScheduledExecutorService persister = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "flotilla-status-persist");
        t.setDaemon(true);
        return t;
    });
    private final Set<StatusKey> toPublish = new LinkedHashSet<>();
    private boolean publishScheduled;
    private final Map<ObjectKey, Map<String, String>> clusterLabels = new HashMap<>();
    private final Map<ObjectKey, LabelSelector> groupSelectors = new HashMap<>();
    private final Map<StatusKey, Set<StatusKey>> groupsOfCluster = new HashMap<>();
    private final Map<StatusKey, Set<StatusKey>> groupMembers = new HashMap<>();
    /** The last snapshot of every BD, so an agent report can be applied before it is stored. */
    private final Map<BdKey, io.flotilla.manager.status.BdSnapshot> snapshots = new HashMap<>();

    private io.flotilla.manager.metrics.ManagerMetrics metrics;
    /** nanoTime at arrival of the reports whose status change waits for the next publish; status thread only. */
    private long[] reportArrivals = new long[16];
    private int reportArrivalCount;
    private volatile Map<String, Integer> bdStates = Map.of();

    /**
     * Report → published latency as a histogram; BDs by state and status stream subscribers as gauges (BDs counted on
     * the status thread once per scrape).
     */
    public void observe(io.flotilla.manager.metrics.ManagerMetrics metrics) {
        this.metrics = metrics;
        java.util.List<String> states = java.util.Arrays.stream(io.flotilla.manager.status.BundleState.values())
                .map(io.flotilla.manager.status.BundleState::wireName).toList();
        metrics.onScrape(() -> {
            if (thread.isShutdown()) {
                return;
            }
            try {
                bdStates = thread.submit(index::bdStates).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("BD states not counted for this scrape: {}", e.toString());
            }
        });
        metrics.labelledGauges("flotilla.bundledeployments", "BundleDeployments by state (Fleet's BD states)", "state",
                states, () -> bdStates);
        metrics.gauge("flotilla.status.stream.subscribers", "Open status watches (gRPC StatusService.Watch and SSE)",
                Map.of(), hub, StatusHub::subscriberCount);
    }

    public StatusController(Store store, StatusHub hub, Clock clock) {
        this.store = store;
        this.hub = hub;
        this.clock = clock;
    }

    /** Replays every stored BD, cluster and group into the index, then follows changes. */
    public void start() throws Exception {
        store.addListener(this);
        thread.submit(() -> {
            store.list(Kind.CLUSTER_GROUP, null).forEach(this::groupChanged);
            store.list(Kind.CLUSTER, null).forEach(this::clusterChanged);
            List<BdEvent> events = new ArrayList<>();
            store.list(Kind.BUNDLE_DEPLOYMENT, null).forEach(bd -> {
                var snapshot = BdSnapshots.from(bd);
                snapshots.put(snapshot.key(), slim(snapshot));
                events.add(new BdEvent.Upserted(snapshot));
            });
            changed(index.applyAll(events));
        }).get(5, TimeUnit.MINUTES);
        persister.scheduleWithFixedDelay(this::persist, PERSIST_INTERVAL_MS, PERSIST_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onEvent(EventType type, ObjectNode object) {
        Kind kind = Json.kind(object).orElse(null);
        if (kind != Kind.BUNDLE_DEPLOYMENT && kind != Kind.CLUSTER && kind != Kind.CLUSTER_GROUP) {
            return;
        }
        if (thread.isShutdown()) {
            return;
        }
        ObjectNode copy = object.deepCopy();
        thread.execute(() -> {
            try {
                switch (kind) {
                    case BUNDLE_DEPLOYMENT -> {
                        BdKey key = new BdKey(Json.namespace(copy), Json.name(copy));
                        if (type == EventType.DELETED) {
                            snapshots.remove(key);
                            changed(index.apply(new BdEvent.Deleted(key)));
                        } else {
                            var snapshot = BdSnapshots.from(copy);
                            snapshots.put(key, slim(snapshot));
                            changed(index.apply(new BdEvent.Upserted(snapshot)));
                        }
                    }
                    case CLUSTER -> {
                        if (type == EventType.DELETED) {
                            clusterRemoved(copy);
                        } else {
                            clusterChanged(copy);
                        }
                    }
                    default -> {
                        if (type == EventType.DELETED) {
                            groupRemoved(copy);
                        } else {
                            groupChanged(copy);
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("{}: status aggregation failed for a {} event", Json.key(copy), type, e);
            }
        });
    }

    /**
     * An agent's report, applied as soon as it arrives (status is published before the BD's status is stored;
     * the store event that follows carries the same report and changes nothing).
     *
     * @param reportedStatus the BD status as it will be stored (Fleet's field names)
     */
    public void report(String bdNamespace, String bdName, JsonNode reportedStatus) {
        if (thread.isShutdown()) {
            return;
        }
        long arrived = System.nanoTime();
        thread.execute(() -> {
            var snapshot = snapshots.get(new BdKey(bdNamespace, bdName));
            if (snapshot != null) {
                var updated = BdSnapshots.withReport(snapshot, BdSnapshots.report(reportedStatus));
                Set<StatusKey> keys = index.apply(new BdEvent.Upserted(updated));
                changed(keys);
                if (metrics != null && !keys.isEmpty()) {
                    if (reportArrivalCount == reportArrivals.length) {
                        reportArrivals = java.util.Arrays.copyOf(reportArrivals, reportArrivalCount * 2);
                    }
                    reportArrivals[reportArrivalCount++] = arrived;
                }
            }
        });
    }

    /**
     * What is kept per BD to apply early reports: no report (each report brings its own), and the strings BDs of
     * one bundle share (names, deploymentIDs) canonicalised, so 50 BDs per cluster stay cheap.
     */
    private static io.flotilla.manager.status.BdSnapshot slim(io.flotilla.manager.status.BdSnapshot s) {
        return new io.flotilla.manager.status.BdSnapshot(s.namespace().intern(), s.name().intern(),
                s.bundleNamespace().intern(), s.bundleName().intern(), s.gitRepo() == null ? null : s.gitRepo().intern(),
                s.clusterNamespace().intern(), s.clusterName().intern(), s.deploymentId().intern(),
                s.stagedDeploymentId().intern(), s.paused(), null);
    }

    /** Liveness: an agent's stream came back or the cluster went offline. */
    public void clusterOnline(ObjectKey cluster, boolean online) {
        if (thread.isShutdown()) {
            return;
        }
        thread.execute(() -> changed(index.apply(new BdEvent.ClusterOnline(
                StatusKey.cluster(cluster.namespace(), cluster.name()), online))));
    }

    /** Targeting: which clusters a bundle targets now (a target without a BD yet is Pending). */
    public void bundleTargets(String namespace, String bundle, Set<ObjectKey> clusters) {
        Set<StatusKey> keys = new HashSet<>();
        clusters.forEach(c -> keys.add(StatusKey.cluster(c.namespace(), c.name())));
        thread.execute(() -> changed(index.apply(new BdEvent.BundleTargets(StatusKey.bundle(namespace, bundle), keys))));
    }

    /** Rollout: the bundle's rollout figures (null to drop them). */
    public void bundleRollout(String namespace, String bundle, Map<String, Object> figures) {
        thread.execute(() -> changed(index.apply(new BdEvent.BundleRollout(StatusKey.bundle(namespace, bundle), figures))));
    }

    /** Targeting: the bundle's targeting error (null once it works again). */
    public void bundleError(String namespace, String bundle, String gitRepo, String error) {
        thread.execute(() -> changed(index.apply(new BdEvent.BundleError(StatusKey.bundle(namespace, bundle), gitRepo, error))));
    }

    /** Waits until every event handed over so far is applied and published (tests, benchmarks). */
    public void sync() throws Exception {
        thread.submit(() -> { }).get(1, TimeUnit.MINUTES);
    }

    private void clusterChanged(ObjectNode cluster) {
        ObjectKey key = Json.key(cluster);
        Map<String, String> labels = Json.labels(cluster);
        if (labels.equals(clusterLabels.get(key)) && groupsOfCluster.containsKey(statusKey(key))) {
            return;
        }
        clusterLabels.put(key, labels);
        updateMembership(key, labels);
    }

    private void clusterRemoved(ObjectNode cluster) {
        ObjectKey key = Json.key(cluster);
        clusterLabels.remove(key);
        updateMembership(key, null);
        groupsOfCluster.remove(statusKey(key));
        changed(index.apply(new BdEvent.ClusterRemoved(statusKey(key))));
    }

    /** One cluster's groups changed (labels, or gone when {@code labels} is null): O(groups of its namespace). */
    private void updateMembership(ObjectKey cluster, Map<String, String> labels) {
        StatusKey c = statusKey(cluster);
        Set<StatusKey> groups = new HashSet<>();
        if (labels != null) {
            groupSelectors.forEach((g, selector) -> {
                if (g.namespace().equals(cluster.namespace()) && selector != null && selector.matches(labels)) {
                    groups.add(StatusKey.clusterGroup(g.namespace(), g.name()));
                }
            });
        }
        Set<StatusKey> before = groupsOfCluster.getOrDefault(c, Set.of());
        if (groups.equals(before) && groupsOfCluster.containsKey(c)) {
            return;
        }
        groupsOfCluster.put(c, groups);
        List<BdEvent> events = new ArrayList<>();
        events.add(new BdEvent.ClusterGroupMembership(c, groups));
        Set<StatusKey> touched = new HashSet<>(before);
        touched.addAll(groups);
        for (StatusKey g : touched) {
            Set<StatusKey> members = groupMembers.computeIfAbsent(g, k -> new HashSet<>());
            if (groups.contains(g)) {
                members.add(c);
            } else {
                members.remove(c);
            }
            events.add(new BdEvent.GroupClusters(g, Set.copyOf(members)));
        }
        changed(index.applyAll(events));
    }

    private void groupChanged(ObjectNode group) {
        ObjectKey key = Json.key(group);
        LabelSelectorSpec spec = TargetingInputs.group(group).selector();
        LabelSelector selector;
        try {
            selector = spec == null ? null : Selectors.compile(spec);
        } catch (RuntimeException invalid) {
            LOG.warn("{}: invalid selector, the group has no members: {}", key, invalid.getMessage());
            selector = null;
        }
        groupSelectors.put(key, selector);
        recomputeMembership(key.namespace());
    }

    private void groupRemoved(ObjectNode group) {
        ObjectKey key = Json.key(group);
        groupSelectors.remove(key);
        changed(index.apply(new BdEvent.GroupClusters(StatusKey.clusterGroup(key.namespace(), key.name()), Set.of())));
        recomputeMembership(key.namespace());
    }

    /** Group membership of one namespace: O(groups × clusters), on a group change only (never per report). */
    private void recomputeMembership(String namespace) {
        Map<StatusKey, Set<StatusKey>> members = new HashMap<>();
        groupSelectors.forEach((g, selector) -> {
            if (g.namespace().equals(namespace)) {
                members.put(StatusKey.clusterGroup(g.namespace(), g.name()), new HashSet<>());
            }
        });
        List<BdEvent> events = new ArrayList<>();
        clusterLabels.forEach((c, labels) -> {
            if (!c.namespace().equals(namespace)) {
                return;
            }
            Set<StatusKey> groups = new HashSet<>();
            groupSelectors.forEach((g, selector) -> {
                if (g.namespace().equals(namespace) && selector != null && selector.matches(labels)) {
                    StatusKey gk = StatusKey.clusterGroup(g.namespace(), g.name());
                    groups.add(gk);
                    members.get(gk).add(statusKey(c));
                }
            });
            if (!groups.equals(groupsOfCluster.get(statusKey(c)))) {
                groupsOfCluster.put(statusKey(c), groups);
                events.add(new BdEvent.ClusterGroupMembership(statusKey(c), groups));
            }
        });
        groupMembers.keySet().removeIf(g -> g.namespace().equals(namespace) && !members.containsKey(g));
        members.forEach((g, clusters) -> {
            groupMembers.put(g, clusters);
            events.add(new BdEvent.GroupClusters(g, Set.copyOf(clusters)));
        });
        changed(index.applyAll(events));
    }

    private static StatusKey statusKey(ObjectKey cluster) {
        return StatusKey.cluster(cluster.namespace(), cluster.name());
    }

    /**
     * Marks statuses changed; they are rendered and published by a task queued behind the events already waiting,
     * so a burst of reports for one GitRepo costs one render, while a lone report is published right away.
     */
    private void changed(Set<StatusKey> keys) {
        if (keys.isEmpty()) {
            return;
        }
        toPublish.addAll(keys);
        if (!publishScheduled) {
            publishScheduled = true;
            thread.execute(this::publish);
        }
    }

    private void publish() {
        publishScheduled = false;
        for (StatusKey key : toPublish) {
            hub.publish(key, json(index.status(key)), false);
        }
        dirty.addAll(toPublish);
        toPublish.clear();
        if (reportArrivalCount > 0) {
            long now = System.nanoTime();
            for (int i = 0; i < reportArrivalCount; i++) {
                metrics.reportPublished(now - reportArrivals[i]);
            }
            reportArrivalCount = 0;
        }
    }

    private static String json(Map<String, Object> status) {
        try {
            return Json.MAPPER.writeValueAsString(status);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("status does not serialise", e);
        }
    }

    /** Writes the dirty statuses (as last published) into their objects, merging with fields other writers own. */
    private void persist() {
        if (dirty.isEmpty()) {
            return;
        }
        List<StatusKey> keys = new ArrayList<>(dirty);
        dirty.removeAll(keys);
        Instant now = clock.instant();
        Map<StatusKey, StoreOp> ops = new java.util.LinkedHashMap<>();
        for (StatusKey key : keys) {
            StatusHub.Entry published = hub.get(key);
            if (published == null) {
                continue;
            }
            ObjectKey objectKey = new ObjectKey(kind(key.kind()), key.namespace(), key.name());
            store.get(objectKey).ifPresent(object -> {
                try {
                    merge(Json.status(object), Json.MAPPER.readTree(published.json()), now);
                } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
                    throw new IllegalStateException(impossible);
                }
                ops.put(key, StoreOp.updateStatus(object));
            });
        }
        if (ops.isEmpty()) {
            return;
        }
        try {
            store.apply(new ArrayList<>(ops.values()));
        } catch (StoreException batchRefused) {
            // Someone else wrote one of these objects meanwhile: write them one by one, retry the losers next round.
            ops.forEach((key, op) -> {
                try {
                    store.apply(List.of(op));
                } catch (StoreException e) {
                    dirty.add(key);
                }
            });
        } catch (RuntimeException e) {
            LOG.error("Could not store {} statuses", ops.size(), e);
        }
    }

    /** Aggregated fields replace the stored ones; conditions are merged by type, timestamps kept when unchanged. */
    static void merge(ObjectNode status, JsonNode aggregated, Instant now) {
        boolean gitStalled = "True".equals(Conditions.get(status, "Stalled"));
        aggregated.fields().forEachRemaining(e -> {
            String field = e.getKey();
            if (field.equals("conditions")) {
                return;
            }
            if (gitStalled && field.equals("display")) {
                // The git error stays visible until a commit applies again.
                ObjectNode display = status.withObjectProperty("display");
                e.getValue().fields().forEachRemaining(d -> {
                    if (!d.getKey().equals("state") && !d.getKey().equals("message") && !d.getKey().equals("error")) {
                        display.set(d.getKey(), d.getValue());
                    }
                });
                return;
            }
            status.set(field, e.getValue());
        });
        for (JsonNode c : aggregated.path("conditions")) {
            String type = Json.text(c, "type");
            if (type == null || !OWNED_CONDITIONS.contains(type) || (gitStalled && type.equals("Ready"))) {
                continue;
            }
            Conditions.set(status, type, "True".equals(Json.text(c, "status")), Json.text(c, "reason") == null ? ""
                    : Json.text(c, "reason"), Json.text(c, "message"), now);
        }
        if (status.has("conditions") && status.get("conditions") instanceof ArrayNode) {
            return;
        }
        status.putArray("conditions");
    }

    private static Kind kind(StatusKey.Kind kind) {
        return switch (kind) {
            case GIT_REPO -> Kind.GIT_REPO;
            case BUNDLE -> Kind.BUNDLE;
            case CLUSTER -> Kind.CLUSTER;
            case CLUSTER_GROUP -> Kind.CLUSTER_GROUP;
        };
    }

    @Override
    public void close() {
        thread.shutdown();
        persister.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
            persister.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        persist();
    }
}

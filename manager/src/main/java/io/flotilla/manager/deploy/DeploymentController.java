package io.flotilla.manager.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.options.RolloutStrategy;
import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.rollout.RolloutPlanner;
import io.flotilla.manager.statusapi.BdDisplay;
import io.flotilla.manager.store.StatusWriter;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreListener;
import io.flotilla.manager.store.StoreOp;
import io.flotilla.manager.targeting.BdChanges;
import io.flotilla.manager.targeting.BundleKey;
import io.flotilla.manager.targeting.ClusterKey;
import io.flotilla.manager.targeting.DesiredDeployment;
import io.flotilla.manager.targeting.TargetingError;
import io.flotilla.manager.targeting.TargetingIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Keeps the stored BundleDeployments equal to what targeting and the rollout decide. Bundle, Cluster and
 * ClusterGroup changes from the store are handed, in order, to one thread that owns the incremental
 * {@link TargetingIndex}; each change recomputes only what it can affect. Targeting's options are staged on the BD
 * ({@code stagedOptions}, {@code stagedDeploymentID}) and released to the agent ({@code options},
 * {@code deploymentID}) as the bundle's rollout strategy allows ({@link RolloutPlanner}, fleet-semantics §8); a
 * paused cluster or bundle keeps its released version (§1.1-1.5, §5.3). Bundles whose rollout is not complete are
 * planned again whenever one of their BDs reports. A step handles every change queued when it starts (a GitRepo's
 * fifty new Bundles are one step, not fifty) and writes the resulting BD creates, updates and deletes in one batch:
 * in Kubernetes mode each write is an API request, and one batch lets them run concurrently instead of one bundle's
 * after another's. If the batch fails, every BD is reconciled again from the store (the controller converges; it
 * never leaves a change half-done and forgotten). A targeting error keeps the bundle's BDs as they are and sets the
 * bundle's {@code Ready} condition to False with the message.
 */
public final class DeploymentController implements StoreListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentController.class);
    /** Bundle condition: False while targeting fails (the status layer then keeps Ready False with its message). */
    public static final String TARGETED = "Targeted";

    private final Store store;
    private final StatusWriter statusWriter;
    private final Clock clock;
    private final TargetingIndex index = new TargetingIndex();
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "flotilla-targeting");
        t.setDaemon(true);
        return t;
    });
    /** What targeting last saw of each input object: status-only writes (heartbeats, reports) are skipped. */
    private final Map<ObjectKey, JsonNode> seen = new HashMap<>();
    /** Bundles whose targeting currently fails, so the condition is cleared once it works again. */
    private final Set<BundleKey> failing = new HashSet<>();
    /** Per bundle, what its BDs copy from it besides targeting's decision (dependsOn, paused). */
    private final Map<BundleKey, JsonNode> bundleFacts = new HashMap<>();
    /** Per bundle with one, its {@code rolloutStrategy}. */
    private final Map<BundleKey, RolloutStrategy> strategies = new HashMap<>();
    private final Set<BundleKey> pausedBundles = new HashSet<>();
    private final Set<ClusterKey> pausedClusters = new HashSet<>();
    /** Every stored BD as the rollout sees it: released, staged and applied deploymentIDs, readiness. */
    private final Map<ObjectKey, RolloutPlanner.Bd> bds = new HashMap<>();
    /** Bundles whose rollout is not complete (something staged and not released, or not created yet). */
    private final Set<BundleKey> rollingOut = new HashSet<>();
    /** Bundles a re-plan is queued for (one per bundle however many reports arrive). */
    private final Set<BundleKey> replanQueued = new HashSet<>();
    /** Bundles whose rollout figures were published, so they are dropped when the strategy goes. */
    private final Set<BundleKey> withFigures = new HashSet<>();

    private final TargetingObserver observer;
    /** Changes handed over and not yet handled; a step drains them. */
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /** The writes of the step being handled (only the loop thread touches it). */
    private Step step;
    /** Caps on one step, so that a flood of changes still reaches the store in bounded batches. */
    private static final int MAX_CHANGES_PER_STEP = 1000;
    private static final int MAX_WRITES_PER_STEP = 10_000;

    private io.flotilla.manager.metrics.ManagerMetrics metrics;
    private io.flotilla.manager.events.EventRecorder events = io.flotilla.manager.events.EventRecorder.NONE;

    /** Recompute duration and BD changes as metrics; BDs created/deleted per cluster and targeting errors as events. */
    public void observe(io.flotilla.manager.metrics.ManagerMetrics metrics, io.flotilla.manager.events.EventRecorder events) {
        this.metrics = metrics;
        this.events = events;
    }

    public DeploymentController(Store store, Clock clock, TargetingObserver observer) {
        this.observer = observer;
        this.store = store;
        this.statusWriter = new StatusWriter(store);
        this.clock = clock;
    }

    /** Loads every input, reconciles the stored BDs with the result, then follows store changes. */
    public void start() throws Exception {
        store.addListener(this);
        loop.submit(this::loadAndReconcile).get(5, TimeUnit.MINUTES);
    }

    @Override
    public void onEvent(EventType type, ObjectNode object) {
        Kind kind = Json.kind(object).orElse(null);
        if (loop.isShutdown()) {
            return;
        }
        if (kind == Kind.BUNDLE_DEPLOYMENT) {
            // only what the rollout reads, taken on the writing thread (no copy of the whole object)
            ObjectKey key = Json.key(object);
            BundleKey bundle = bundleOf(object);
            RolloutPlanner.Bd facts = type == EventType.DELETED ? null : rolloutFacts(object);
            submit(() -> bdChanged(key, bundle, facts));
        } else if (kind == Kind.BUNDLE || kind == Kind.CLUSTER || kind == Kind.CLUSTER_GROUP) {
            ObjectNode copy = object.deepCopy();
            submit(() -> handle(type, kind, copy));
        }
    }

    /** Returns once every change handed over so far is handled and written (tests and benchmarks wait on this). */
    public void sync() throws Exception {
        loop.submit(() -> {
            while (!inbox.isEmpty()) {
                drain();
            }
        }).get(1, TimeUnit.MINUTES);
    }

    private void submit(Runnable change) {
        inbox.add(change);
        if (drainQueued.compareAndSet(false, true)) {
            loop.execute(this::drainQueue);
        }
    }

    private void drainQueue() {
        drainQueued.set(false); // a change handed over from now on queues another drain
        drain();
        if (!inbox.isEmpty() && drainQueued.compareAndSet(false, true)) {
            loop.execute(this::drainQueue);
        }
    }

    /** One step: handles the queued changes (up to the caps), then writes what they decided in one batch. */
    private void drain() {
        step = new Step(key -> store.get(key).orElse(null));
        try {
            Runnable change;
            int handled = 0;
            while (handled < MAX_CHANGES_PER_STEP && step.size() < MAX_WRITES_PER_STEP && (change = inbox.poll()) != null) {
                change.run();
                handled++;
            }
            flush(step);
        } finally {
            step = null;
        }
    }

    private static RolloutPlanner.Bd rolloutFacts(JsonNode bd) {
        JsonNode spec = bd.path("spec");
        JsonNode status = bd.path("status");
        return new RolloutPlanner.Bd(Json.text(spec, "deploymentID"), Json.text(spec, "stagedDeploymentID"),
                Json.text(status, "appliedDeploymentID"), status.path("ready").asBoolean(false));
    }

    private static BundleKey bundleOf(JsonNode bd) {
        JsonNode labels = bd.path("metadata").path("labels");
        return new BundleKey(labels.path(BundleDeployments.BUNDLE_NAMESPACE_LABEL).asText(),
                labels.path(BundleDeployments.BUNDLE_NAME_LABEL).asText());
    }

    private void bdChanged(ObjectKey key, BundleKey bundle, RolloutPlanner.Bd facts) {
        RolloutPlanner.Bd before = facts == null ? bds.remove(key) : bds.put(key, facts);
        if (rollingOut.contains(bundle) && !Objects.equals(before, facts) && replanQueued.add(bundle)) {
            // behind the reports already queued, so a burst of them costs one plan
            submit(() -> replan(bundle));
        }
    }

    private void replan(BundleKey bundle) {
        replanQueued.remove(bundle);
        try {
            reconcile(bundle, Set.of(), step);
        } catch (RuntimeException e) {
            LOG.error("Bundle {}: rollout step failed; its BDs are left as they are", bundle, e);
        }
    }

    private void handle(EventType type, Kind kind, ObjectNode object) {
        ObjectKey key = Json.key(object);
        try {
            JsonNode inputs = targetingInputs(object);
            if (type != EventType.DELETED && inputs.equals(seen.get(key))) {
                return;
            }
            long start = System.nanoTime();
            BdChanges changes;
            // per affected bundle, the clusters whose BD must be looked at (null: all of the bundle's)
            Map<BundleKey, Set<ClusterKey>> affected = new LinkedHashMap<>();
            if (type == EventType.DELETED) {
                seen.remove(key);
                if (kind == Kind.BUNDLE) {
                    BundleKey b = new BundleKey(key.namespace(), key.name());
                    bundleFacts.remove(b);
                    failing.remove(b);
                    strategies.remove(b);
                    pausedBundles.remove(b);
                    rollingOut.remove(b);
                    if (withFigures.remove(b)) {
                        observer.bundleRollout(b.namespace(), b.name(), null);
                    }
                } else if (kind == Kind.CLUSTER) {
                    pausedClusters.remove(new ClusterKey(key.namespace(), key.name()));
                }
                changes = switch (kind) {
                    case BUNDLE -> index.removeBundle(new BundleKey(key.namespace(), key.name()));
                    case CLUSTER -> index.removeCluster(new ClusterKey(key.namespace(), key.name()));
                    default -> index.removeGroup(key.namespace(), key.name());
                };
            } else {
                seen.put(key, inputs);
                if (kind == Kind.BUNDLE) {
                    BundleKey b = new BundleKey(key.namespace(), key.name());
                    JsonNode spec = object.path("spec");
                    bundleFacts.put(b, BundleDeployments.bundleFacts(spec));
                    setOrRemove(pausedBundles, b, spec.path("paused").asBoolean(false));
                    RolloutStrategy strategy = TargetingInputs.rolloutStrategy(spec);
                    if (strategy == null) {
                        strategies.remove(b);
                    } else {
                        strategies.put(b, strategy);
                    }
                    affected.put(b, null);
                } else if (kind == Kind.CLUSTER) {
                    ClusterKey c = new ClusterKey(key.namespace(), key.name());
                    if (setOrRemove(pausedClusters, c, object.path("spec").path("paused").asBoolean(false))) {
                        // paused or unpaused: its BDs of every bundle are written again (and promoted on unpause)
                        index.desiredOnCluster(c).forEach(d -> touch(affected, bundleOf(d), c));
                    }
                }
                changes = switch (kind) {
                    case BUNDLE -> index.upsertBundle(TargetingInputs.bundle(object));
                    case CLUSTER -> index.upsertCluster(TargetingInputs.cluster(object));
                    default -> index.upsertGroup(TargetingInputs.group(object));
                };
            }
            changes.created().forEach(d -> touch(affected, bundleOf(d), d.clusterKey()));
            changes.updated().forEach(d -> touch(affected, bundleOf(d), d.clusterKey()));
            write(changes, affected);
            Set<BundleKey> notify = new LinkedHashSet<>(affected.keySet());
            changes.deleted().forEach(d -> notify.add(bundleOf(d)));
            if (kind == Kind.BUNDLE) {
                notify.add(new BundleKey(key.namespace(), key.name()));
            }
            if (metrics != null) {
                metrics.targeting(System.nanoTime() - start, changes.created().size(), changes.updated().size(),
                        changes.deleted().size());
            }
            step.afterWrite(() -> {
                notify.forEach(this::notifyTargets);
                bdEvents(changes.created(), "BundleDeploymentsCreated", "created");
                bdEvents(changes.deleted(), "BundleDeploymentsDeleted", "deleted");
            });
            if (!changes.isEmpty()) {
                LOG.info("{} {}: {} BDs to create, {} to update, {} to delete (targeting took {} ms)", key, type.name().toLowerCase(),
                        changes.created().size(), changes.updated().size(), changes.deleted().size(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        } catch (IllegalArgumentException e) {
            // An object targeting cannot read (written by a client or Fleet's tooling, not by the manager): its
            // error, not a stack trace; for a bundle it is the bundle's targeting error.
            LOG.warn("{}: cannot be read for targeting: {}; BDs are left as they are", key, e.getMessage());
            if (kind == Kind.BUNDLE && type != EventType.DELETED) {
                markFailing(new TargetingError(new BundleKey(key.namespace(), key.name()),
                        "targeting error: bundle " + key.namespace() + "/" + key.name() + ": " + e.getMessage()));
            }
        } catch (RuntimeException e) {
            LOG.error("{}: targeting failed after a {} event; its BDs are left as they are", key, type, e);
        }
    }

    /** One event per cluster: which of its BundleDeployments targeting created (or deleted). */
    private void bdEvents(List<DesiredDeployment> changed, String reason, String verb) {
        if (changed.isEmpty()) {
            return;
        }
        Map<ClusterKey, List<String>> byCluster = new java.util.TreeMap<>(java.util.Comparator
                .comparing(ClusterKey::namespace).thenComparing(ClusterKey::name));
        changed.forEach(d -> byCluster.computeIfAbsent(d.clusterKey(), c -> new ArrayList<>()).add(d.bdName()));
        byCluster.forEach((cluster, names) -> {
            java.util.Collections.sort(names);
            String shown = String.join(", ", names.size() > 10 ? names.subList(0, 10) : names) + (names.size() > 10 ? ", ..." : "");
            events.normal("Cluster", cluster.namespace(), cluster.name(), reason, names.size() + " BundleDeployment"
                    + (names.size() == 1 ? "" : "s") + " " + verb + ": " + shown);
        });
    }

    private static <T> boolean setOrRemove(Set<T> set, T item, boolean present) {
        return present ? set.add(item) : set.remove(item);
    }

    private static void touch(Map<BundleKey, Set<ClusterKey>> affected, BundleKey bundle, ClusterKey cluster) {
        if (affected.containsKey(bundle) && affected.get(bundle) == null) {
            return;
        }
        affected.computeIfAbsent(bundle, b -> new HashSet<>()).add(cluster);
    }

    private static JsonNode targetingInputs(ObjectNode object) {
        ObjectNode inputs = Json.object();
        inputs.set("labels", object.path("metadata").path("labels"));
        inputs.set("annotations", object.path("metadata").path("annotations"));
        inputs.set("spec", object.path("spec"));
        return inputs;
    }

    private void loadAndReconcile() {
        for (ObjectNode group : store.list(Kind.CLUSTER_GROUP, null)) {
            seen.put(Json.key(group), targetingInputs(group));
            index.upsertGroup(TargetingInputs.group(group));
        }
        for (ObjectNode cluster : store.list(Kind.CLUSTER, null)) {
            seen.put(Json.key(cluster), targetingInputs(cluster));
            setOrRemove(pausedClusters, new ClusterKey(Json.namespace(cluster), Json.name(cluster)),
                    cluster.path("spec").path("paused").asBoolean(false));
            index.upsertCluster(TargetingInputs.cluster(cluster));
        }
        List<TargetingError> errors = new ArrayList<>();
        List<BundleKey> bundles = new ArrayList<>();
        for (ObjectNode bundle : store.list(Kind.BUNDLE, null)) {
            BundleKey b = new BundleKey(Json.namespace(bundle), Json.name(bundle));
            bundles.add(b);
            seen.put(Json.key(bundle), targetingInputs(bundle));
            JsonNode spec = bundle.path("spec");
            bundleFacts.put(b, BundleDeployments.bundleFacts(spec));
            setOrRemove(pausedBundles, b, spec.path("paused").asBoolean(false));
            try {
                RolloutStrategy strategy = TargetingInputs.rolloutStrategy(spec);
                if (strategy != null) {
                    strategies.put(b, strategy);
                }
                errors.addAll(index.upsertBundle(TargetingInputs.bundle(bundle)).errors());
            } catch (IllegalArgumentException e) {
                errors.add(new TargetingError(b, "targeting error: bundle " + b + ": " + e.getMessage()));
            }
        }
        Set<BundleKey> erroneous = new HashSet<>();
        errors.forEach(e -> erroneous.add(e.bundle()));
        errors.forEach(this::markFailing);
        Step load = reconcileAll(erroneous);
        int writes = load.size();
        flush(load);
        bundles.forEach(this::notifyTargets);
        LOG.info("Targeting loaded {} BDs; {} stored BDs created, changed or deleted to match", index.allDesired().size(),
                writes);
    }

    /**
     * Compares every stored BD with what targeting wants: the writes that make them equal (BDs of {@code keep}
     * bundles, whose targeting fails, are kept as they are). The rollout's view of the BDs is rebuilt from the store.
     */
    private Step reconcileAll(Set<BundleKey> keep) {
        Set<ObjectKey> desired = new HashSet<>();
        for (DesiredDeployment d : index.allDesired()) {
            desired.add(bdKey(d));
        }
        Map<ObjectKey, ObjectNode> stored = new HashMap<>();
        Step all = new Step(stored::get);
        bds.clear();
        for (ObjectNode bd : store.list(Kind.BUNDLE_DEPLOYMENT, null)) {
            ObjectKey key = Json.key(bd);
            if (desired.contains(key)) {
                stored.put(key, bd);
                bds.put(key, rolloutFacts(bd));
            } else if (!keep.contains(bundleOf(bd))) {
                all.add(StoreOp.delete(key, null));
            } else {
                bds.put(key, rolloutFacts(bd));
            }
        }
        for (BundleKey b : bundleFacts.keySet()) {
            if (!keep.contains(b)) {
                reconcile(b, null, all);
            }
        }
        return all;
    }

    /**
     * The BD writes for one bundle. Without a rollout strategy, with nothing paused or still rolling out, the
     * changed BDs are staged and released at once (what the plan would decide, without visiting every target);
     * otherwise the rollout plans the whole bundle.
     *
     * @param touch  clusters whose BD must be looked at even if the plan changes nothing there; null: all
     * @param writes the step the writes go to (and where BDs are looked up)
     */
    private void reconcile(BundleKey bundle, Set<ClusterKey> touch, Step writes) {
        if (index.failing(bundle)) {
            return;
        }
        Map<ClusterKey, DesiredDeployment> desired = index.desired(bundle);
        RolloutStrategy strategy = strategies.get(bundle);
        boolean bundlePaused = pausedBundles.contains(bundle);
        JsonNode facts = bundleFacts.get(bundle);
        if (touch != null && strategy == null && !bundlePaused && !rollingOut.contains(bundle)
                && touch.size() <= RolloutPlanner.MAX_NEW && touch.stream().noneMatch(pausedClusters::contains)) {
            for (ClusterKey c : touch) {
                DesiredDeployment d = desired.get(c);
                if (d != null) {
                    writeOne(writes.lookup(bdKey(d)), d, facts, true, true, false, writes);
                }
            }
            publishFigures(bundle, null);
            return;
        }
        List<RolloutPlanner.Target> targets = new ArrayList<>(desired.size());
        for (DesiredDeployment d : desired.values()) {
            targets.add(new RolloutPlanner.Target(d.clusterKey().name(), d.deploymentId(), d.rolloutPartitions(),
                    bds.get(bdKey(d)), bundlePaused || pausedClusters.contains(d.clusterKey())));
        }
        RolloutPlanner.Plan plan;
        try {
            plan = RolloutPlanner.plan(strategy, targets, RolloutPlanner.MAX_NEW);
        } catch (RolloutPlanner.RolloutException e) {
            markFailing(new TargetingError(bundle, "rollout error: bundle " + bundle + ": " + e.getMessage()));
            return;
        }
        boolean complete = true;
        boolean uncreated = false;
        for (DesiredDeployment d : desired.values()) {
            String cluster = d.clusterKey().name();
            RolloutPlanner.Bd known = bds.get(bdKey(d));
            boolean create = plan.create().contains(cluster);
            boolean stage = plan.stage().contains(cluster);
            boolean promote = plan.promote().contains(cluster);
            boolean paused = bundlePaused || pausedClusters.contains(d.clusterKey());
            String released = promote ? d.deploymentId() : known == null ? null : known.deploymentId();
            if (!d.deploymentId().equals(released)) {
                complete = false;
            } else if (strategy != null && (promote || !d.deploymentId().equals(known.appliedDeploymentId())
                    || !known.ready())) {
                // with a strategy the figures are kept current until every target runs the wanted version, ready
                complete = false;
            }
            if (known == null && !create) {
                uncreated = true;
                continue;
            }
            boolean look = create || promote || touch == null || touch.contains(d.clusterKey())
                    || stage && !d.deploymentId().equals(known.stagedDeploymentId());
            if (look) {
                writeOne(writes.lookup(bdKey(d)), d, facts, stage, promote, paused, writes);
            }
        }
        setOrRemove(rollingOut, bundle, !complete);
        if (uncreated && plan.create().size() >= RolloutPlanner.MAX_NEW && replanQueued.add(bundle)) {
            // the next maxNew BDs in the next step, after this one's are written
            submit(() -> replan(bundle));
        }
        publishFigures(bundle, strategy == null ? null : figures(bundle.namespace(), plan.figures()));
    }

    private void writeOne(ObjectNode stored, DesiredDeployment d, JsonNode facts, boolean stage, boolean promote,
                          boolean paused, Step writes) {
        ObjectNode wanted = BundleDeployments.write(stored, d, facts, stage, promote, paused);
        if (stored == null) {
            // created without status: its display is set on its first status change, as Fleet does (§6.9)
            writes.add(StoreOp.create(wanted));
            return;
        }
        if (Objects.equals(stored.path("spec"), wanted.path("spec"))
                && Objects.equals(stored.path("metadata").path("labels"), wanted.path("metadata").path("labels"))) {
            return;
        }
        // the controller is the only writer of BD spec; status (agent reports) is kept by the store
        Json.metadata(wanted).remove("resourceVersion");
        boolean display = BdDisplay.update(wanted);
        writes.add(StoreOp.update(wanted));
        if (display) {
            writes.displayChanged.add(Json.key(wanted));
        }
    }

    private void publishFigures(BundleKey bundle, Map<String, Object> figures) {
        if (figures == null && !withFigures.remove(bundle)) {
            return;
        }
        if (figures != null) {
            withFigures.add(bundle);
        }
        observer.bundleRollout(bundle.namespace(), bundle.name(), figures);
    }

    /** Fleet's field names; each partition also lists its clusters' ids, from which status computes its summary. */
    private static Map<String, Object> figures(String namespace, RolloutPlanner.Figures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxUnavailable", f.maxUnavailable());
        m.put("unavailablePartitions", f.unavailablePartitions());
        m.put("maxUnavailablePartitions", f.maxUnavailablePartitions());
        m.put("maxNew", f.maxNew());
        m.put("newlyCreated", f.newlyCreated());
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (RolloutPlanner.PartitionStatus p : f.partitions()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", p.name());
            pm.put("count", p.count());
            pm.put("maxUnavailable", p.maxUnavailable());
            pm.put("unavailable", p.unavailable());
            pm.put("clusters", p.clusters().stream().map(c -> namespace + "/" + c).toList());
            partitions.add(java.util.Collections.unmodifiableMap(pm));
        }
        m.put("partitions", List.copyOf(partitions));
        return m;
    }

    private void write(BdChanges changes, Map<BundleKey, Set<ClusterKey>> affected) {
        for (DesiredDeployment d : changes.deleted()) {
            step.add(StoreOp.delete(bdKey(d), null));
        }
        affected.forEach((bundle, clusters) -> reconcile(bundle, clusters, step));
        Set<BundleKey> nowFailing = new HashSet<>();
        for (TargetingError error : changes.errors()) {
            nowFailing.add(error.bundle());
            markFailing(error);
        }
        // A bundle's error clears in the step that makes it work again, whatever changed: the bundle itself, or a
        // cluster or group (e.g. the label a Helm value template needs was added to the cluster).
        for (BundleKey b : List.copyOf(failing)) {
            if (!nowFailing.contains(b) && !index.failing(b)) {
                failing.remove(b);
                step.afterWrite(() -> {
                    ObjectKey bundleKey = new ObjectKey(Kind.BUNDLE, b.namespace(), b.name());
                    observer.bundleError(b.namespace(), b.name(), repoOf(bundleKey), null);
                    statusWriter.patch(bundleKey, status -> Conditions.set(status, TARGETED, true, "", "", clock.instant()));
                    LOG.info("Bundle {}: targeting works again", b);
                });
            }
        }
    }

    /**
     * Writes one step's batch and takes the written BDs into the rollout's view at once; then refreshes the
     * {@code status.display} of updated BDs whose state the new spec changes (read-modify-write, so a report stored
     * meanwhile is kept), then runs what waited for the write. If the batch fails (partly written in Kubernetes mode,
     * not at all in the embedded store), every BD is compared with targeting again and written one bundle at a time.
     */
    private void flush(Step writes) {
        List<StoreOp> ops = writes.ops();
        if (!ops.isEmpty()) {
            try {
                writeAndRemember(ops);
            } catch (RuntimeException e) {
                LOG.warn("{} BD writes of one step failed ({}); reconciling every BD with targeting again", ops.size(),
                        e.getMessage());
                resync();
            }
            for (ObjectKey key : writes.displayChanged) {
                try {
                    statusWriter.patchObject(key, BdDisplay::update);
                } catch (RuntimeException e) {
                    LOG.warn("{}: display not refreshed: {}", key, e.getMessage());
                }
            }
        }
        writes.afterWrite.forEach(Runnable::run);
    }

    /** Writes a batch of BD writes and takes the written BDs into the rollout's view. */
    private void writeAndRemember(List<StoreOp> ops) {
        List<ObjectNode> written = store.apply(ops);
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof StoreOp.Delete delete) {
                bds.remove(delete.key());
            } else {
                bds.put(Json.key(written.get(i)), rolloutFacts(written.get(i)));
            }
        }
    }

    /** After a failed batch: the writes that make the store equal to targeting, one bundle's at a time. */
    private void resync() {
        Step all = reconcileAll(Set.copyOf(failing));
        Map<Object, List<StoreOp>> byBundle = new LinkedHashMap<>();
        for (StoreOp op : all.ops()) {
            ObjectNode object = op instanceof StoreOp.Create c ? c.object() : op instanceof StoreOp.Update u ? u.object() : null;
            Object group = object == null ? "deletes" : bundleOf(object);
            byBundle.computeIfAbsent(group, g -> new ArrayList<>()).add(op);
        }
        byBundle.forEach((group, ops) -> {
            try {
                writeAndRemember(ops);
            } catch (RuntimeException e) {
                LOG.error("BDs of {} could not be written ({}); they are written again on the next change", group,
                        e.getMessage());
            }
        });
    }

    /**
     * The BD writes one step decided, merged per BD (a BD created and then updated in the same step is created as
     * updated; created and deleted, never written), and what the step looks up: its own pending writes first.
     */
    private static final class Step {
        private final Function<ObjectKey, ObjectNode> stored;
        private final List<StoreOp> ops = new ArrayList<>();
        /** Per BD written in this step, the index of its last op, and the object after it (null: deleted). */
        private final Map<ObjectKey, Integer> last = new HashMap<>();
        private final Map<ObjectKey, ObjectNode> after = new HashMap<>();
        private final Set<ObjectKey> displayChanged = new LinkedHashSet<>();
        private final List<Runnable> afterWrite = new ArrayList<>();

        Step(Function<ObjectKey, ObjectNode> stored) {
            this.stored = stored;
        }

        ObjectNode lookup(ObjectKey key) {
            if (after.containsKey(key)) {
                ObjectNode pending = after.get(key);
                return pending == null ? null : pending.deepCopy();
            }
            return stored.apply(key);
        }

        void add(StoreOp op) {
            ObjectKey key = keyOf(op);
            Integer previous = last.get(key);
            StoreOp before = previous == null ? null : ops.get(previous);
            if (before instanceof StoreOp.Create && op instanceof StoreOp.Update update) {
                ObjectNode created = update.object().deepCopy();
                created.remove("status");
                displayChanged.remove(key);
                ops.set(previous, StoreOp.create(created));
                after.put(key, created);
                return;
            }
            if (before instanceof StoreOp.Create && op instanceof StoreOp.Delete) {
                ops.set(previous, null);
                last.remove(key);
                after.put(key, null);
                displayChanged.remove(key);
                return;
            }
            if (before instanceof StoreOp.Update && !(op instanceof StoreOp.Create)) {
                ops.set(previous, op);
            } else {
                last.put(key, ops.size());
                ops.add(op);
            }
            if (op instanceof StoreOp.Delete) {
                displayChanged.remove(key);
                after.put(key, null);
            } else {
                after.put(key, op instanceof StoreOp.Create c ? c.object() : ((StoreOp.Update) op).object());
            }
        }

        void afterWrite(Runnable action) {
            afterWrite.add(action);
        }

        int size() {
            return last.size();
        }

        List<StoreOp> ops() {
            return ops.stream().filter(Objects::nonNull).toList();
        }

        private static ObjectKey keyOf(StoreOp op) {
            return op instanceof StoreOp.Delete d ? d.key()
                    : Json.key(op instanceof StoreOp.Create c ? c.object() : ((StoreOp.Update) op).object());
        }
    }

    private String repoOf(ObjectKey bundle) {
        return store.get(bundle).map(b -> Json.labels(b).get(BundleDeployments.REPO_LABEL)).orElse(null);
    }

    private void markFailing(TargetingError error) {
        failing.add(error.bundle());
        observer.bundleError(error.bundle().namespace(), error.bundle().name(),
                repoOf(new ObjectKey(Kind.BUNDLE, error.bundle().namespace(), error.bundle().name())), error.message());
        LOG.warn("Bundle {}: {}; its BundleDeployments are kept as they are", error.bundle(), error.message());
        events.warning("Bundle", error.bundle().namespace(), error.bundle().name(), "TargetingError",
                error.message() + "; its BundleDeployments are kept as they are");
        statusWriter.patch(new ObjectKey(Kind.BUNDLE, error.bundle().namespace(), error.bundle().name()),
                status -> {
                    Conditions.set(status, TARGETED, false, "TargetingError", error.message(), clock.instant());
                    Conditions.set(status, "Ready", false, "TargetingError", error.message(), clock.instant());
                });
    }

    private static BundleKey bundleOf(DesiredDeployment d) {
        return new BundleKey(d.labels().getOrDefault(BundleDeployments.BUNDLE_NAMESPACE_LABEL, ""),
                d.labels().getOrDefault(BundleDeployments.BUNDLE_NAME_LABEL, d.bdName()));
    }

    private void notifyTargets(BundleKey bundle) {
        Set<ObjectKey> clusters = new HashSet<>();
        index.desired(bundle).keySet().forEach(c -> clusters.add(new ObjectKey(Kind.CLUSTER, c.namespace(), c.name())));
        observer.bundleTargets(bundle.namespace(), bundle.name(), clusters);
    }

    private static ObjectKey bdKey(DesiredDeployment d) {
        return new ObjectKey(Kind.BUNDLE_DEPLOYMENT, d.bdNamespace(), d.bdName());
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}

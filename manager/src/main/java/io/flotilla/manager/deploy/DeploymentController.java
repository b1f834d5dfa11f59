package io.flotilla.manager.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the stored BundleDeployments equal to what targeting decides. Bundle, Cluster and ClusterGroup
 * changes from the store are handed, in order, to one thread that owns the incremental
 * {@link TargetingIndex}; each change recomputes only what it can affect and the resulting BD creates,
 * updates and deletes are written in one atomic batch. A targeting error keeps the bundle's BDs as they
 * are and sets the bundle's {@code Ready} condition to False with the message.
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

    private final TargetingObserver observer;

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
        if ((kind == Kind.BUNDLE || kind == Kind.CLUSTER || kind == Kind.CLUSTER_GROUP) && !loop.isShutdown()) {
            ObjectNode copy = object.deepCopy();
            loop.execute(() -> handle(type, kind, copy));
        }
    }

    /** Runs {@code work} after every change handed over so far (tests and benchmarks wait on this). */
    public void sync() throws Exception {
        loop.submit(() -> { }).get(1, TimeUnit.MINUTES);
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
            if (type == EventType.DELETED) {
                seen.remove(key);
                if (kind == Kind.BUNDLE) {
                    bundleFacts.remove(new BundleKey(key.namespace(), key.name()));
                    failing.remove(new BundleKey(key.namespace(), key.name()));
                }
                changes = switch (kind) {
                    case BUNDLE -> index.removeBundle(new BundleKey(key.namespace(), key.name()));
                    case CLUSTER -> index.removeCluster(new ClusterKey(key.namespace(), key.name()));
                    default -> index.removeGroup(key.namespace(), key.name());
                };
            } else {
                seen.put(key, inputs);
                if (kind == Kind.BUNDLE) {
                    bundleFacts.put(new BundleKey(key.namespace(), key.name()), BundleDeployments.bundleFacts(object.path("spec")));
                }
                changes = switch (kind) {
                    case BUNDLE -> index.upsertBundle(TargetingInputs.bundle(object));
                    case CLUSTER -> index.upsertCluster(TargetingInputs.cluster(object));
                    default -> index.upsertGroup(TargetingInputs.group(object));
                };
            }
            write(changes);
            Set<BundleKey> affected = new HashSet<>();
            changes.created().forEach(d -> affected.add(bundleOf(d)));
            changes.updated().forEach(d -> affected.add(bundleOf(d)));
            changes.deleted().forEach(d -> affected.add(bundleOf(d)));
            if (kind == Kind.BUNDLE) {
                affected.add(new BundleKey(key.namespace(), key.name()));
            }
            affected.forEach(this::notifyTargets);
            if (!changes.isEmpty()) {
                LOG.info("{} {}: {} BDs created, {} updated, {} deleted in {} ms", key, type.name().toLowerCase(),
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
            index.upsertCluster(TargetingInputs.cluster(cluster));
        }
        List<TargetingError> errors = new ArrayList<>();
        for (ObjectNode bundle : store.list(Kind.BUNDLE, null)) {
            seen.put(Json.key(bundle), targetingInputs(bundle));
            bundleFacts.put(new BundleKey(Json.namespace(bundle), Json.name(bundle)), BundleDeployments.bundleFacts(bundle.path("spec")));
            errors.addAll(index.upsertBundle(TargetingInputs.bundle(bundle)).errors());
        }
        Map<ObjectKey, DesiredDeployment> desired = new HashMap<>();
        for (DesiredDeployment d : index.allDesired()) {
            desired.put(new ObjectKey(Kind.BUNDLE_DEPLOYMENT, d.bdNamespace(), d.bdName()), d);
        }
        Set<BundleKey> erroneous = new HashSet<>();
        errors.forEach(e -> erroneous.add(e.bundle()));
        List<StoreOp> ops = new ArrayList<>();
        for (ObjectNode stored : store.list(Kind.BUNDLE_DEPLOYMENT, null)) {
            ObjectKey key = Json.key(stored);
            DesiredDeployment d = desired.remove(key);
            if (d == null) {
                JsonNode labels = stored.path("metadata").path("labels");
                BundleKey owner = new BundleKey(labels.path(BundleDeployments.BUNDLE_NAMESPACE_LABEL).asText(),
                        labels.path(BundleDeployments.BUNDLE_NAME_LABEL).asText());
                if (!erroneous.contains(owner)) {
                    ops.add(StoreOp.delete(key, null));
                }
            } else if (!sameSpec(stored, d)) {
                ops.add(StoreOp.update(BundleDeployments.update(stored, d, facts(d))));
            }
        }
        desired.values().forEach(d -> ops.add(StoreOp.create(BundleDeployments.toObject(d, facts(d)))));
        if (!ops.isEmpty()) {
            store.apply(ops);
        }
        errors.forEach(this::markFailing);
        store.list(Kind.BUNDLE, null).forEach(b -> notifyTargets(new BundleKey(Json.namespace(b), Json.name(b))));
        LOG.info("Targeting loaded {} BDs; {} stored BDs created, changed or deleted to match", index.allDesired().size(),
                ops.size());
    }

    private boolean sameSpec(ObjectNode stored, DesiredDeployment d) {
        ObjectNode wanted = BundleDeployments.toObject(d, facts(d));
        return Objects.equals(stored.path("spec"), wanted.path("spec"))
                && Objects.equals(stored.path("metadata").path("labels"), wanted.path("metadata").path("labels"));
    }

    private void write(BdChanges changes) {
        List<StoreOp> ops = new ArrayList<>();
        for (DesiredDeployment d : changes.created()) {
            Optional<ObjectNode> stored = store.get(bdKey(d));
            ops.add(stored.isPresent() ? StoreOp.update(BundleDeployments.update(stored.get(), d, facts(d)))
                    : StoreOp.create(BundleDeployments.toObject(d, facts(d))));
        }
        for (DesiredDeployment d : changes.updated()) {
            Optional<ObjectNode> stored = store.get(bdKey(d));
            ops.add(stored.isPresent() ? StoreOp.update(BundleDeployments.update(stored.get(), d, facts(d)))
                    : StoreOp.create(BundleDeployments.toObject(d, facts(d))));
        }
        for (DesiredDeployment d : changes.deleted()) {
            ops.add(StoreOp.delete(bdKey(d), null));
        }
        if (!ops.isEmpty()) {
            store.apply(ops);
        }
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
                ObjectKey bundleKey = new ObjectKey(Kind.BUNDLE, b.namespace(), b.name());
                observer.bundleError(b.namespace(), b.name(), repoOf(bundleKey), null);
                statusWriter.patch(bundleKey, status -> Conditions.set(status, TARGETED, true, "", "", clock.instant()));
                LOG.info("Bundle {}: targeting works again", b);
            }
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
        statusWriter.patch(new ObjectKey(Kind.BUNDLE, error.bundle().namespace(), error.bundle().name()),
                status -> {
                    Conditions.set(status, TARGETED, false, "TargetingError", error.message(), clock.instant());
                    Conditions.set(status, "Ready", false, "TargetingError", error.message(), clock.instant());
                });
    }

    private JsonNode facts(DesiredDeployment d) {
        return bundleFacts.get(bundleOf(d));
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

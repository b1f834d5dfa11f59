package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.agent.drift.ComparePatches;
import io.flotilla.agent.drift.DriftDetector;
import io.flotilla.agent.drift.ModifiedEntry;
import io.flotilla.agent.hooks.HelmHooks;
import io.flotilla.agent.model.Maps;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
import io.flotilla.agent.readiness.NonReadyStatus;
import io.flotilla.agent.readiness.ObjectSummary;
import io.flotilla.agent.readiness.Readiness;
import io.flotilla.agent.status.ApplyFailure;
import io.flotilla.agent.status.BdStatusReport;
import io.flotilla.agent.status.StatusComposer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the objects the agent owns and computes BundleDeployment status. One informer per kind, shared by all
 * BDs and selecting on the ownership label, calls {@code onChange} with the BD name whenever one of its objects
 * is added, changed or deleted. {@link #status} reads the informer caches (confirming anything odd with a fresh
 * read) and, when {@code correctDrift.enabled}, re-applies a drifted BD before reporting.
 *
 * <p>{@code onChange} runs on an informer thread: it must hand the work over (for example to a worker pool that
 * coalesces per BD) rather than call {@link #status} itself. Call {@link #status}, {@link #track} and
 * {@link Deployer#apply} for one BD from one thread at a time.
 */
public final class DeploymentMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentMonitor.class);

    private final ApiResources api;
    private final Deployer deployer;
    private final Consumer<String> onChange;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final Map<String, String> bdByLabel = new ConcurrentHashMap<>();
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();

    /** What the monitor knows of one BD: the last request and what its last apply left behind. */
    private record Tracked(DeploymentRequest request, String appliedDeploymentId, ApplyFailure failure,
                           List<ObjectRef> owned) {
    }

    public DeploymentMonitor(KubernetesClient client, Deployer deployer, Consumer<String> onChange) {
        this.api = new ApiResources(client);
        this.deployer = deployer;
        this.onChange = onChange;
    }

    /** Monitors a BD after {@link Deployer#apply}. */
    public void track(DeploymentRequest request, ApplyOutcome outcome) {
        put(new Tracked(request, outcome.appliedDeploymentId(), outcome.failure(), outcome.owned()));
    }

    /** Monitors a BD known from its ownership record (agent restart), without applying it again. */
    public void restore(OwnedState state) {
        put(new Tracked(state.request(), state.deploymentId(), null, state.owned()));
    }

    /** Stops reporting on a BD (deleted). Informers stay: other BDs may use the same kinds. */
    public void forget(String bdName) {
        Tracked removed = tracked.remove(bdName);
        if (removed != null) {
            bdByLabel.remove(Ownership.labelValue(bdName));
        }
    }

    public Set<String> trackedNames() {
        return Set.copyOf(tracked.keySet());
    }

    private void put(Tracked state) {
        String bd = state.request().bdName();
        tracked.put(bd, state);
        bdByLabel.put(Ownership.labelValue(bd), bd);
        Set<ObjectRef> kinds = new LinkedHashSet<>(state.owned());
        HelmHooks.releaseObjects(state.request().objects()).forEach(o -> kinds.add(ObjectRef.of(o)));
        kinds.forEach(this::ensureInformer);
    }

    private void ensureInformer(ObjectRef ref) {
        if (informers.containsKey(ref.gvk())) {
            return;
        }
        try {
            SharedIndexInformer<GenericKubernetesResource> informer = api.kind(ref).inAnyNamespace()
                    .withLabel(Ownership.BD_LABEL).runnableInformer(0);
            // Lookups are by key only: no namespace index, and no managedFields kept (see LeanItemStore).
            informer.itemStore(new LeanItemStore()).removeNamespaceIndex().addEventHandler(new Notifier());
            informer.run();
            informers.put(ref.gvk(), informer);
        } catch (KubernetesClientException e) {
            // The kind is not served (yet); the next track() of a BD using it tries again.
            LOG.warn("cannot watch {}: {}", ref.gvk(), e.getMessage());
        }
    }

    /** Calls back with the BD named by the changed object's ownership label. */
    private final class Notifier implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource obj) {
            notify(obj);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            notify(newObj);
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            notify(obj);
        }

        private void notify(GenericKubernetesResource obj) {
            Map<String, String> labels = obj.getMetadata().getLabels();
            String bd = labels == null ? null : bdByLabel.get(labels.get(Ownership.BD_LABEL));
            if (bd != null) {
                onChange.accept(bd);
            }
        }
    }

    /**
     * The status of a tracked BD. Blocking (reads the API on cache misses and to confirm drift); when the BD has
     * {@code correctDrift.enabled} and drifted, re-applies it first and reports the result.
     *
     * @throws IllegalArgumentException when the BD is not tracked
     */
    /** BDs whose last {@link #status} re-applied drift; taken by {@link #takeDriftCorrected}. */
    private final java.util.Set<String> driftCorrected = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Whether drift of {@code bdName} was corrected since the last call (its next report says so once). */
    public boolean takeDriftCorrected(String bdName) {
        return driftCorrected.remove(bdName);
    }

    public BdStatusReport status(String bdName) {
        Tracked state = tracked.get(bdName);
        if (state == null) {
            throw new IllegalArgumentException("BundleDeployment " + bdName + " is not monitored");
        }
        try {
            BdStatusReport report = compute(state);
            var correctDrift = state.request().options().correctDrift();
            if (correctDrift != null && correctDrift.enabled() && !report.nonModified() && state.failure() == null) {
                LOG.info("correcting drift of BundleDeployment {}: {}", bdName, report.modifiedStatus());
                ApplyOutcome outcome = deployer.apply(state.request());
                track(state.request(), outcome);
                driftCorrected.add(bdName);
                report = compute(tracked.get(bdName));
            }
            return report;
        } catch (KubernetesClientException e) {
            return StatusComposer.monitorFailed(bdName, state.appliedDeploymentId(), e.getMessage());
        }
    }

    private BdStatusReport compute(Tracked state) {
        String bd = state.request().bdName();
        var options = state.request().options();
        ComparePatches comparePatches = ComparePatches.of(options.diff() == null ? null : options.diff().comparePatches());
        // Helm hooks are run by the Deployer, not part of the release: neither desired nor counted.
        List<Map<String, Object>> desired = HelmHooks.releaseObjects(state.request().objects());
        List<ObjectRef> desiredRefs = desired.stream().map(ObjectRef::of).toList();
        Set<ObjectRef> refs = new LinkedHashSet<>(desiredRefs);
        refs.addAll(state.owned());

        Map<ObjectRef, Map<String, Object>> live = new HashMap<>();
        for (ObjectRef ref : refs) {
            Map<String, Object> cached = cached(ref);
            Map<String, Object> object = cached != null ? cached : api.get(ref);
            if (object != null) {
                live.put(ref, object);
            }
        }
        List<ModifiedEntry> modified = DriftDetector.detect(bd, desired, live, state.owned(), comparePatches,
                deployer.applyPreview());
        if (!modified.isEmpty()) {
            // The cache may lag behind our own writes: confirm the drifted objects with fresh reads.
            for (ModifiedEntry entry : modified) {
                Map<String, Object> fresh = api.get(entry.ref());
                if (fresh == null) {
                    live.remove(entry.ref());
                } else {
                    live.put(entry.ref(), fresh);
                }
            }
            modified = DriftDetector.detect(bd, desired, live, state.owned(), comparePatches,
                deployer.applyPreview());
        }

        List<Map<String, String>> ignore = options.ignore() == null || options.ignore().conditions() == null ? List.of()
                : options.ignore().conditions();
        List<NonReadyStatus> nonReady = new ArrayList<>();
        Map<ObjectRef, String> createdAt = new HashMap<>();
        for (ObjectRef ref : new TreeSet<>(desiredRefs)) {
            Map<String, Object> object = live.get(ref);
            if (object == null || !Ownership.isOwnedBy(object, bd)) {
                continue;
            }
            createdAt.put(ref, Maps.string(object, "metadata", "creationTimestamp"));
            ObjectSummary summary = Readiness.summarize(object, ignore);
            if (!summary.ready()) {
                nonReady.add(new NonReadyStatus(Maps.string(object, "metadata", "uid"), ref, summary));
            }
        }
        return StatusComposer.compose(bd, state.appliedDeploymentId(), state.failure(), desiredRefs, createdAt,
                nonReady, modified);
    }

    private Map<String, Object> cached(ObjectRef ref) {
        SharedIndexInformer<GenericKubernetesResource> informer = informers.get(ref.gvk());
        if (informer == null || !informer.hasSynced()) {
            return null;
        }
        String key = ref.clusterScoped() ? ref.name() : Cache.namespaceKeyFunc(ref.namespace(), ref.name());
        return api.toMap(informer.getStore().getByKey(key));
    }

    /** Stops every informer. */
    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
    }

    /** The group/version/kinds watched, one informer each. */
    Collection<String> watchedKinds() {
        return List.copyOf(informers.keySet());
    }
}

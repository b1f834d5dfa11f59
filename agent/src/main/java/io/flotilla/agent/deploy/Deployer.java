package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flotilla.agent.drift.ApplyPreview;
import io.flotilla.agent.drift.ComparePatches;
import io.flotilla.agent.drift.DriftDetector;
import io.flotilla.agent.hooks.HelmHooks;
import io.flotilla.agent.model.Json;
import io.flotilla.agent.model.Maps;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
import io.flotilla.agent.status.ApplyFailure;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies BundleDeployments to the downstream cluster with server-side apply (field manager {@code flotilla},
 * conflicts forced: git wins; see {@link ServerSideApplier}); prunes
 * objects that left the bundle; deletes everything on BD deletion; keeps one ownership record per BD in the
 * cluster. Blocking: call it from a worker thread, one call per BD at a time.
 */
public final class Deployer {
    public static final String DEFAULT_AGENT_NAMESPACE = "flotilla-system";
    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
    private static final String POD_SECURITY_PREFIX = "pod-security.kubernetes.io/";
    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private static final Duration CRD_ESTABLISH_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REPLACE_DELETE_TIMEOUT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final ApiResources api;
    private final OwnershipStore store;
    private final ServerSideApplier applier;
    private final String agentNamespace;
    private final HookRunner hookRunner;

    public Deployer(KubernetesClient client) {
        this(client, DEFAULT_AGENT_NAMESPACE);
    }

    public Deployer(KubernetesClient client, String agentNamespace) {
        this.client = client;
        this.api = new ApiResources(client);
        this.applier = new ServerSideApplier(api);
        this.store = new OwnershipStore(client, agentNamespace);
        this.agentNamespace = agentNamespace;
        this.hookRunner = new HookRunner(api);
    }

    /** What applying would make of a live object: the drift check {@link DeploymentMonitor} shares. */
    ApplyPreview applyPreview() {
        return applier;
    }

    /** BD name → ownership record, read from the cluster (what a restarted agent holds). */
    public Map<String, OwnedState> loadOwnership() {
        return store.loadAll();
    }

    public Optional<OwnedState> ownership(String bdName) {
        return store.load(bdName);
    }

    /**
     * Applies the request. Idempotent: with the same deploymentID and nothing drifted it writes nothing. API errors
     * do not throw; they are returned in the outcome (with {@code failure} set) and the other objects are still
     * applied. Helm hooks ({@link HookRunner}) are not applied as objects: a new deploymentID runs the pre-phase
     * hooks before the objects (none are applied when one fails) and the post-phase hooks after them; with
     * {@code helm.atomic} a failed upgrade re-applies the previous deployment ({@link #rollBack}).
     */
    public ApplyOutcome apply(DeploymentRequest request) {
        String bd = request.bdName();
        Optional<OwnedState> previous;
        try {
            previous = store.load(bd);
        } catch (KubernetesClientException e) {
            // Without the record, pruning could leak objects: do nothing and let the caller retry.
            ObjectError error = error(OwnershipStore.recordRef(agentNamespace, bd), e);
            return new ApplyOutcome(bd, request.deploymentId(), "", List.of(), List.of(), List.of(), List.of(),
                    List.of(error), ApplyFailure.errApplied("reading ownership record: " + error.message()));
        }
        boolean sameDeployment = previous.map(p -> p.deploymentId().equals(request.deploymentId())).orElse(false);
        ComparePatches comparePatches = ComparePatches.of(request.options().diff() == null ? null
                : request.options().diff().comparePatches());

        HookRunner.Run hooks = hookRunner.forApply(request, previous);

        Progress progress = new Progress();
        try {
            ensureNamespace(request);
        } catch (KubernetesClientException e) {
            progress.errors.add(error(new ObjectRef("v1", "Namespace", "", request.targetNamespace()), e));
        }
        // The same deploymentID again (reconcile, restart, drift correction) never re-runs hooks.
        ObjectError hookError = sameDeployment ? hooks.invalid() : hooks.runPre();
        List<Map<String, Object>> objects = hookError == null ? hooks.objects() : List.of();
        Set<String> kindsDefinedHere = kindsDefinedBy(objects);
        HelmFlags helm = HelmFlags.of(request.options());
        for (Map<String, Object> object : applyOrder(objects)) {
            applyObject(bd, object, sameDeployment, comparePatches, kindsDefinedHere, helm, progress);
        }

        Set<ObjectRef> desired = request.objects().stream().map(ObjectRef::of).collect(Collectors.toSet());
        List<ObjectRef> stale = hookError != null ? List.of() : previous.map(OwnedState::owned).orElse(List.of())
                .stream().filter(ref -> !desired.contains(ref)).toList();
        progress.owned.addAll(deleteOwned(bd, stale, request.options().deleteCRDResources(), progress.pruned,
                progress.errors));
        if (hookError != null) {
            // As Helm: a failed pre-phase hook leaves the release's objects as they were.
            progress.errors.add(hookError);
            progress.owned.addAll(previous.map(OwnedState::owned).orElse(List.of()));
        } else if (!sameDeployment && progress.errors.isEmpty()) {
            Optional.ofNullable(hooks.runPost()).ifPresent(progress.errors::add);
        }

        ApplyFailure failure = failure(progress.errors);
        BundleDeploymentOptions recordedOptions = request.options();
        List<Map<String, Object>> recordedObjects = request.objects();
        if (failure != null && !sameDeployment && hooks.atomic() && hooks.upgrade()) {
            ApplyFailure rolledBack = rollBack(bd, previous.get(), request, comparePatches, progress, failure);
            if (rolledBack.kind() == ApplyFailure.Kind.NOT_INSTALLED) {
                recordedOptions = previous.get().options();
                recordedObjects = previous.get().objects();
            }
            failure = rolledBack;
        }
        String applied = failure != null && failure.kind() == ApplyFailure.Kind.ERR_APPLIED
                ? previous.map(OwnedState::deploymentId).orElse("") : request.deploymentId();
        try {
            store.save(new OwnedState(bd, applied, request.deploymentId(), List.copyOf(progress.owned),
                    recordedOptions, recordedObjects));
        } catch (KubernetesClientException e) {
            ObjectError error = error(OwnershipStore.recordRef(agentNamespace, bd), e);
            progress.errors.add(error);
            failure = ApplyFailure.errApplied("recording ownership: " + error.message());
            applied = previous.map(OwnedState::deploymentId).orElse("");
        }
        ApplyOutcome outcome = new ApplyOutcome(bd, request.deploymentId(), applied, progress.created,
                progress.patched, progress.pruned, List.copyOf(progress.owned), progress.errors, failure);
        if (outcome.wroteObjects() || failure != null) {
            LOG.info("applied BundleDeployment {} deploymentID {}: created {}, patched {}, pruned {}{}", bd,
                    request.deploymentId(), outcome.created().size(), outcome.patched().size(),
                    outcome.pruned().size(), failure == null ? "" : ", failed: " + failure.message());
        }
        return outcome;
    }

    /** What one apply has done so far. */
    private static final class Progress {
        final List<ObjectRef> created = new ArrayList<>();
        final List<ObjectRef> patched = new ArrayList<>();
        final List<ObjectRef> pruned = new ArrayList<>();
        final Set<ObjectRef> owned = new LinkedHashSet<>();
        final List<ObjectError> errors = new ArrayList<>();
    }

    /**
     * {@code helm.atomic} after a failed upgrade: applies the previous deployment's objects again (server-side
     * apply drops the fields only the failed attempt set) and deletes the objects only the failed attempt added; no
     * hooks run (Helm would run rollback hooks, which Flotilla ignores). Returns Helm's "failed and rolled back due
     * to atomic" failure, {@code NotReady} as in §7.1, or an {@code ErrApplied} failure naming both errors when the
     * rollback itself failed. {@code progress} then describes the rolled-back state.
     */
    private ApplyFailure rollBack(String bd, OwnedState previous, DeploymentRequest request,
                                  ComparePatches comparePatches, Progress progress, ApplyFailure failure) {
        LOG.info("BundleDeployment {}: upgrade to deploymentID {} failed, rolling back to {} (atomic): {}", bd,
                request.deploymentId(), previous.deploymentId(), failure.message());
        Progress rollback = new Progress();
        List<Map<String, Object>> objects = HelmHooks.releaseObjects(previous.objects());
        Set<String> kindsDefinedHere = kindsDefinedBy(objects);
        HelmFlags helm = HelmFlags.of(request.options());
        for (Map<String, Object> object : applyOrder(objects)) {
            applyObject(bd, object, false, comparePatches, kindsDefinedHere, helm, rollback);
        }
        Set<ObjectRef> keep = objects.stream().map(ObjectRef::of).collect(Collectors.toSet());
        Set<ObjectRef> written = new LinkedHashSet<>(progress.owned);
        written.addAll(previous.owned());
        List<ObjectRef> added = written.stream().filter(ref -> !keep.contains(ref)).toList();
        rollback.owned.addAll(deleteOwned(bd, added, request.options().deleteCRDResources(), rollback.pruned,
                rollback.errors));
        progress.created.addAll(rollback.created);
        progress.patched.addAll(rollback.patched);
        progress.pruned.addAll(rollback.pruned);
        progress.owned.clear();
        progress.owned.addAll(rollback.owned);
        progress.errors.addAll(rollback.errors);
        if (!rollback.errors.isEmpty()) {
            return ApplyFailure.errApplied(failure.message() + "; rolling back due to atomic failed: "
                    + rollback.errors.stream().map(ObjectError::message).collect(Collectors.joining("; ")));
        }
        return ApplyFailure.notInstalled("failed and rolled back due to atomic: " + failure.message());
    }

    /**
     * Server-side applies the object (creating it when missing). With the same deploymentID only drift is
     * repaired: an object that applying would not change gets no request that writes. An object that exists
     * without our label is reported, never taken over, unless {@code helm.takeOwnership}; an immutable-field
     * change fails the object unless {@code helm.force}, which deletes and re-creates it.
     */
    private void applyObject(String bd, Map<String, Object> object, boolean sameDeployment,
                             ComparePatches comparePatches, Set<String> kindsDefinedHere, HelmFlags helm,
                             Progress progress) {
        ObjectRef ref = ObjectRef.of(object);
        try {
            if (kindsDefinedHere.contains(ref.gvk())) {
                api.awaitServed(ref, CRD_ESTABLISH_TIMEOUT);
            }
            Map<String, Object> prepared = Ownership.prepare(object, bd);
            Map<String, Object> live = api.get(ref);
            if (live == null) {
                applier.apply(ref, prepared);
                progress.created.add(ref);
                progress.owned.add(ref);
                return;
            }
            if (!Ownership.isOwnedBy(live, bd)) {
                if (!helm.takeOwnership()) {
                    progress.errors.add(new ObjectError(ref, 409, ref.id() + " is not owned by us"));
                    return;
                }
                LOG.info("BundleDeployment {} takes ownership of {} (helm.takeOwnership)", bd, ref.id());
            }
            progress.owned.add(ref);
            if (sameDeployment && comparePatches.ignores(ref)) {
                return;
            }
            live = applier.takeOverClientSideApply(ref, live);
            if (sameDeployment && Ownership.isOwnedBy(live, bd)
                    && DriftDetector.patch(ref, applier.afterApply(ref, prepared, live), live, comparePatches).isEmpty()) {
                return;
            }
            String before = Maps.string(live, "metadata", "resourceVersion");
            Map<String, Object> result = applyOrReplace(bd, ref, prepared, helm.force());
            if (!before.equals(Maps.string(result, "metadata", "resourceVersion"))) {
                progress.patched.add(ref);
            }
        } catch (KubernetesClientException e) {
            progress.errors.add(error(ref, e));
            progress.owned.add(ref);
        }
    }

    private Map<String, Object> applyOrReplace(String bd, ObjectRef ref, Map<String, Object> prepared, boolean force) {
        try {
            return applier.apply(ref, prepared);
        } catch (KubernetesClientException e) {
            if (!force || !ServerSideApplier.refusedAsInvalid(e)) {
                throw e;
            }
            LOG.info("BundleDeployment {}: replacing {} (helm.force; {})", bd, ref.id(), error(ref, e).message());
            applier.forget(ref);
            api.object(ref).withTimeout(REPLACE_DELETE_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .delete();
            api.awaitGone(ref, REPLACE_DELETE_TIMEOUT);
            return applier.apply(ref, prepared);
        }
    }

    /** The helm options that change how objects are applied. */
    private record HelmFlags(boolean force, boolean takeOwnership) {
        static HelmFlags of(BundleDeploymentOptions options) {
            var helm = options.helm();
            return helm == null ? new HelmFlags(false, false)
                    : new HelmFlags(Boolean.TRUE.equals(helm.force()), Boolean.TRUE.equals(helm.takeOwnership()));
        }
    }

    /**
     * Removes a BundleDeployment: unless {@code keepResources}, deletes every owned object (custom resources
     * before CRDs; CRDs only with {@code deleteCrdResources}); then drops the ownership record. When a deletion
     * fails the record keeps the objects not yet deleted and {@link DeploymentException} is thrown.
     */
    public void delete(String bdName, boolean keepResources, boolean deleteCrdResources) {
        Optional<OwnedState> state = store.load(bdName);
        if (state.isEmpty()) {
            return;
        }
        if (!keepResources) {
            // Helm runs pre-delete hooks before and post-delete hooks after deleting; a failed pre-delete hook
            // keeps everything.
            HookRunner.Run hooks = hookRunner.forDelete(state.get());
            if (hooks.invalid() != null) {
                LOG.warn("deleting BundleDeployment {} without running its delete hooks: {}", bdName,
                        hooks.invalid().message());
            }
            ObjectError preDelete = hooks.invalid() == null ? hooks.runPreDelete() : null;
            if (preDelete != null) {
                throw new DeploymentException("deleting BundleDeployment " + bdName + ": " + preDelete.message());
            }
            List<ObjectError> errors = new ArrayList<>();
            List<ObjectRef> deleted = new ArrayList<>();
            List<ObjectRef> remaining = deleteOwned(bdName, state.get().owned(), deleteCrdResources, deleted, errors);
            if (!errors.isEmpty()) {
                OwnedState s = state.get();
                store.save(new OwnedState(bdName, s.deploymentId(), s.requestedDeploymentId(), remaining, s.options(),
                        s.objects()));
                throw new DeploymentException("deleting BundleDeployment " + bdName + ": "
                        + errors.stream().map(ObjectError::message).collect(Collectors.joining("; ")));
            }
            LOG.info("deleted BundleDeployment {}: {} objects removed", bdName, deleted.size());
            ObjectError postDelete = hooks.invalid() == null ? hooks.runPostDelete() : null;
            if (postDelete != null) {
                LOG.warn("deleted BundleDeployment {}, but {}", bdName, postDelete.message());
            }
        } else {
            LOG.info("deleted BundleDeployment {}: keepResources, objects left in place", bdName);
        }
        store.remove(bdName);
    }

    /**
     * Deletes the objects among {@code refs} that carry this BD's label, custom resources and other objects
     * first, CRDs last and only when {@code deleteCrds}. Returns the refs still owned afterwards (failed deletions).
     */
    private List<ObjectRef> deleteOwned(String bd, List<ObjectRef> refs, boolean deleteCrds, List<ObjectRef> deleted,
                                        List<ObjectError> errors) {
        List<ObjectRef> ordered = new ArrayList<>(refs);
        ordered.sort(Comparator.comparing(ObjectRef::isCrd));
        List<ObjectRef> remaining = new ArrayList<>();
        for (ObjectRef ref : ordered) {
            if (ref.isCrd() && !deleteCrds) {
                continue;
            }
            try {
                Map<String, Object> live = api.get(ref);
                if (live != null && Ownership.isOwnedBy(live, bd)) {
                    api.object(ref).delete();
                    applier.forget(ref);
                    deleted.add(ref);
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    errors.add(error(ref, e));
                    remaining.add(ref);
                }
            }
        }
        return remaining;
    }

    /** The group/version/kinds that CRDs among {@code objects} define, as {@link ObjectRef#gvk()} spells them. */
    private static Set<String> kindsDefinedBy(List<Map<String, Object>> objects) {
        Set<String> kinds = new HashSet<>();
        for (Map<String, Object> object : objects) {
            if (ObjectRef.of(object).isCrd()) {
                String group = Maps.string(object, "spec", "group");
                String kind = Maps.string(object, "spec", "names", "kind");
                for (Object version : Maps.list(object, "spec", "versions")) {
                    if (version instanceof Map<?, ?> v) {
                        kinds.add(group + "/" + v.get("name") + "/" + kind);
                    }
                }
            }
        }
        return kinds;
    }

    /** CRDs first so the custom resources after them can be created, then namespaces, then the rest in order. */
    private static List<Map<String, Object>> applyOrder(List<Map<String, Object>> objects) {
        List<Map<String, Object>> ordered = new ArrayList<>(objects);
        ordered.sort(Comparator.comparingInt(o -> {
            ObjectRef ref = ObjectRef.of(o);
            return ref.isCrd() ? 0 : "Namespace".equals(ref.kind()) && ref.group().isEmpty() ? 1 : 2;
        }));
        return ordered;
    }

    /**
     * Creates the target namespace when missing (with {@code namespaceLabels}/{@code namespaceAnnotations}) and
     * enforces non-empty option labels and annotations as §7.1 describes; writes only on a difference.
     */
    private void ensureNamespace(DeploymentRequest request) {
        String name = request.targetNamespace();
        Map<String, String> labels = request.options().namespaceLabels();
        Map<String, String> annotations = request.options().namespaceAnnotations();
        var resource = client.namespaces().withName(name);
        Namespace live = resource.get();
        if (live == null) {
            if (!request.createsNamespace()) {
                return;
            }
            Map<String, String> initialLabels = new LinkedHashMap<>(labels == null ? Map.of() : labels);
            initialLabels.put(NAMESPACE_NAME_LABEL, name);
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                        .withLabels(initialLabels).withAnnotations(annotations == null ? Map.of() : annotations)
                        .endMetadata().build()).create();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // Another BD applied at the same time created it first: go on and enforce labels on it.
                if (e.getCode() != 409) {
                    throw e;
                }
                live = resource.get();
                if (live == null) {
                    throw e;
                }
            }
        }
        Map<String, Object> metadataPatch = new LinkedHashMap<>();
        Map<String, String> liveLabels = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
        if (labels != null && !labels.isEmpty()) {
            Map<String, String> wanted = new LinkedHashMap<>();
            labels.forEach((k, v) -> {
                if (!k.startsWith(POD_SECURITY_PREFIX)) {
                    wanted.put(k, v);
                }
            });
            wanted.put(NAMESPACE_NAME_LABEL, name);
            liveLabels.forEach((k, v) -> {
                if (k.startsWith(POD_SECURITY_PREFIX)) {
                    wanted.put(k, v);
                }
            });
            putDifference(metadataPatch, "labels", liveLabels, wanted);
        }
        if (annotations != null && !annotations.isEmpty()) {
            Map<String, String> liveAnnotations = live.getMetadata().getAnnotations() == null ? Map.of()
                    : live.getMetadata().getAnnotations();
            putDifference(metadataPatch, "annotations", liveAnnotations, annotations);
        }
        if (!metadataPatch.isEmpty()) {
            resource.patch(PatchContext.of(PatchType.JSON_MERGE), Json.write(Map.of("metadata", metadataPatch)));
        }
    }

    /** Adds to {@code patch[key]} the merge patch that makes {@code live} exactly {@code wanted}, if they differ. */
    private static void putDifference(Map<String, Object> patch, String key, Map<String, String> live,
                                      Map<String, String> wanted) {
        Map<String, Object> diff = new LinkedHashMap<>();
        // A null value is an absent key (some servers keep the nulls of a merge patch).
        live.forEach((k, v) -> {
            if (v != null && !wanted.containsKey(k)) {
                diff.put(k, null);
            }
        });
        wanted.forEach((k, v) -> {
            if (!v.equals(live.get(k))) {
                diff.put(k, v);
            }
        });
        if (!diff.isEmpty()) {
            patch.put(key, diff);
        }
    }

    private static ObjectError error(ObjectRef ref, KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
        return new ObjectError(ref, e.getCode(), message);
    }

    /** NotReady-style only when every error is one the objects themselves cause (§7.1). */
    private static ApplyFailure failure(List<ObjectError> errors) {
        if (errors.isEmpty()) {
            return null;
        }
        String message = errors.stream().map(ObjectError::message).collect(Collectors.joining("; "));
        return errors.stream().allMatch(ObjectError::objectInvalid) ? ApplyFailure.notInstalled(message)
                : ApplyFailure.errApplied(message);
    }
}

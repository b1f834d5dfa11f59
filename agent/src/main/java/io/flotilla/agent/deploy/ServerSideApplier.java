package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flotilla.agent.drift.ApplyPreview;
import io.flotilla.agent.drift.ComparePatches;
import io.flotilla.agent.drift.DriftDetector;
import io.flotilla.agent.model.Json;
import io.flotilla.agent.model.Maps;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side apply as field manager {@value #FIELD_MANAGER}, conflicts forced (git wins): lists and maps merge
 * the way the API server's schema defines them, so fields other managers set (a sidecar container, an added
 * label, an HPA's {@code replicas}) stay theirs. Also answers "what would applying change?" ({@link ApplyPreview})
 * with a server-side dry run, remembered per object and live resourceVersion so an object nobody touched since
 * is never asked about again: a no-op reconcile sends no request that writes.
 */
final class ServerSideApplier implements ApplyPreview {
    static final String FIELD_MANAGER = "flotilla";
    private static final Logger LOG = LoggerFactory.getLogger(ServerSideApplier.class);

    private final ApiResources api;
    /** Per object: the live resourceVersion at which applying the desired configuration (by hash) changes nothing. */
    private final Map<ObjectRef, InSync> inSync = new ConcurrentHashMap<>();

    private record InSync(String resourceVersion, int desiredHash) {
    }

    ServerSideApplier(ApiResources api) {
        this.api = api;
    }

    /** Applies {@code prepared}; returns the object as stored. */
    Map<String, Object> apply(ObjectRef ref, Map<String, Object> prepared) {
        Map<String, Object> result = api.toMap(serverSideApply(ref, prepared, false));
        remember(ref, prepared, result);
        return result;
    }

    /**
     * The object as it would be after applying {@code prepared} to {@code live}: {@code live} itself when it is
     * known to be in sync at its resourceVersion, else the server's dry run.
     */
    @Override
    public Map<String, Object> afterApply(ObjectRef ref, Map<String, Object> prepared, Map<String, Object> live) {
        InSync known = inSync.get(ref);
        String liveVersion = Maps.string(live, "metadata", "resourceVersion");
        if (known != null && known.resourceVersion().equals(liveVersion) && known.desiredHash() == prepared.hashCode()) {
            return live;
        }
        Map<String, Object> preview = api.toMap(serverSideApply(ref, prepared, true));
        // (a dry run keeps the resourceVersion whatever it would change: compare the content)
        if (DriftDetector.patch(ref, preview, live, ComparePatches.none()).isEmpty()) {
            inSync.put(ref, new InSync(liveVersion, prepared.hashCode()));
            return live;
        }
        return preview;
    }

    /** Forgets what is known of {@code ref} (deleted, or about to be replaced). */
    void forget(ObjectRef ref) {
        inSync.remove(ref);
    }

    /**
     * Takes over an object that an earlier Flotilla applied client-side (last-applied annotation), the way
     * kubectl upgrades client-side-applied objects: the managedFields entry of the manager that wrote the
     * annotation becomes this field manager's Apply entry, so the next apply owns exactly those fields and
     * removes the ones the bundle no longer sets, the annotation among them. Nothing is recreated.
     *
     * @return the live object after the change, or {@code live} when there was nothing to take over
     */
    Map<String, Object> takeOverClientSideApply(ObjectRef ref, Map<String, Object> live) {
        if (Maps.string(live, "metadata", "annotations", Ownership.LAST_APPLIED_ANNOTATION).isEmpty()) {
            return live;
        }
        List<Object> managedFields = Maps.list(live, "metadata", "managedFields");
        List<Map<String, Object>> ops = new ArrayList<>();
        ops.add(op("test", "/metadata/resourceVersion", Maps.string(live, "metadata", "resourceVersion")));
        for (int i = 0; i < managedFields.size(); i++) {
            if (managedFields.get(i) instanceof Map<?, ?> entry && wroteLastApplied(entry)) {
                ops.add(op("replace", "/metadata/managedFields/" + i + "/manager", FIELD_MANAGER));
                ops.add(op("replace", "/metadata/managedFields/" + i + "/operation", "Apply"));
            }
        }
        if (ops.size() == 1) {
            // No entry claims the annotation (managedFields were reset): the next apply still owns our fields;
            // only the annotation itself would be left behind, so drop it.
            ops.add(op("remove", "/metadata/annotations/" + Ownership.LAST_APPLIED_ANNOTATION.replace("/", "~1"), null));
        }
        Map<String, Object> result = api.toMap(api.object(ref).patch(PatchContext.of(PatchType.JSON), Json.write(ops)));
        LOG.info("took over {} from client-side apply (last-applied annotation)", ref.id());
        return result;
    }

    private static boolean wroteLastApplied(Map<?, ?> entry) {
        if (!"Update".equals(entry.get("operation")) || entry.get("subresource") != null) {
            return false;
        }
        return entry.get("fieldsV1") instanceof Map<?, ?> fields
                && fields.get("f:metadata") instanceof Map<?, ?> metadata
                && metadata.get("f:annotations") instanceof Map<?, ?> annotations
                && annotations.containsKey("f:" + Ownership.LAST_APPLIED_ANNOTATION);
    }

    private static Map<String, Object> op(String op, String path, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("path", path);
        if (value != null) {
            m.put("value", value);
        }
        return m;
    }

    private void remember(ObjectRef ref, Map<String, Object> prepared, Map<String, Object> result) {
        String version = Maps.string(result, "metadata", "resourceVersion");
        if (version.isEmpty()) {
            inSync.remove(ref);
        } else {
            inSync.put(ref, new InSync(version, prepared.hashCode()));
        }
    }

    private GenericKubernetesResource serverSideApply(ObjectRef ref, Map<String, Object> prepared, boolean dryRun) {
        return api.kind(ref).resource(api.fromMap(prepared)).dryRun(dryRun)
                .fieldValidation(FieldValidateable.Validation.STRICT)
                .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /**
     * True when the server refused the change of an existing object as invalid, e.g. an immutable field ("field
     * is immutable", "may not change once set"): what {@code helm.force} resolves by delete and re-create.
     */
    static boolean refusedAsInvalid(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
        return e.getCode() == 422 && !message.contains("denied request");
    }
}

package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flotilla.agent.model.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Generic access to any kind by apiVersion and kind. Resolved endpoints are cached per group/version/kind; a kind
 * the server does not know (yet: its CRD may be applied next) is looked up again on the next call.
 */
final class ApiResources {
    private static final Duration DISCOVERY_POLL = Duration.ofMillis(200);
    /** The resources of the core API ({@code /api/v1}), kind → plural: fixed since Kubernetes 1.0 grew them. */
    private static final Map<String, String> CORE_V1 = Map.ofEntries(Map.entry("Binding", "bindings"),
            Map.entry("ComponentStatus", "componentstatuses"), Map.entry("ConfigMap", "configmaps"),
            Map.entry("Endpoints", "endpoints"), Map.entry("Event", "events"), Map.entry("LimitRange", "limitranges"),
            Map.entry("Namespace", "namespaces"), Map.entry("Node", "nodes"),
            Map.entry("PersistentVolume", "persistentvolumes"),
            Map.entry("PersistentVolumeClaim", "persistentvolumeclaims"), Map.entry("Pod", "pods"),
            Map.entry("PodTemplate", "podtemplates"), Map.entry("ReplicationController", "replicationcontrollers"),
            Map.entry("ResourceQuota", "resourcequotas"), Map.entry("Secret", "secrets"),
            Map.entry("Service", "services"), Map.entry("ServiceAccount", "serviceaccounts"));
    private static final Set<String> CORE_V1_CLUSTER_SCOPED = Set.of("ComponentStatus", "Namespace", "Node",
            "PersistentVolume");

    private final KubernetesClient client;
    private final Map<String, MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>> operations = new ConcurrentHashMap<>();

    ApiResources(KubernetesClient client) {
        this.client = client;
    }

    /** All objects of the kind of {@code ref}; throws {@link KubernetesClientException} for unknown kinds. */
    MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            kind(ObjectRef ref) {
        var known = operations.get(ref.gvk());
        if (known != null) {
            return known;
        }
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
                resolved;
        try {
            resolved = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
        } catch (KubernetesClientException e) {
            if (e.getStatus() != null) {
                throw e;
            }
            // fabric8 knows core ("v1") kinds only from its registry of model classes, which a client built
            // without the class-path scan (the agent's) leaves empty: the core API's resources are fixed, and the
            // server is asked only about kinds not among them.
            resolved = ref.group().isEmpty() ? core(ref) : null;
            if (resolved == null) {
                resolved = fromModelClasses(ref);
            }
            if (resolved != null) {
                operations.put(ref.gvk(), resolved);
                return resolved;
            }
            // fabric8's wording suggests a code change; say what kubectl and Helm say instead.
            throw new KubernetesClientException("no matches for kind \"" + ref.kind() + "\" in version \""
                    + ref.apiVersion() + "\"", e);
        }
        operations.put(ref.gvk(), resolved);
        return resolved;
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            core(ObjectRef ref) {
        String plural = null;
        boolean namespaced = false;
        if ("v1".equals(ref.apiVersion()) && CORE_V1.containsKey(ref.kind())) {
            plural = CORE_V1.get(ref.kind());
            namespaced = !CORE_V1_CLUSTER_SCOPED.contains(ref.kind());
        } else {
            APIResourceList served;
            try {
                served = client.getApiResources(ref.apiVersion());
            } catch (KubernetesClientException notServed) {
                return null;
            }
            for (APIResource resource : served == null || served.getResources() == null ? List.<APIResource>of()
                    : served.getResources()) {
                if (ref.kind().equals(resource.getKind()) && !resource.getName().contains("/")) {
                    plural = resource.getName();
                    namespaced = Boolean.TRUE.equals(resource.getNamespaced());
                }
            }
        }
        return plural == null ? null : client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup("").withVersion(ref.apiVersion()).withKind(ref.kind()).withPlural(plural)
                .withNamespaced(namespaced).build());
    }

    /**
     * The kind as fabric8's model classes define it, for API servers without discovery (fabric8's mock server):
     * the class-path scan happens only then, on the first kind that needs it.
     */
    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            fromModelClasses(ObjectRef ref) {
        Class<? extends KubernetesResource> type = ModelClasses.ALL.getRegisteredKubernetesResource(ref.apiVersion(),
                ref.kind());
        return type == null || !HasMetadata.class.isAssignableFrom(type) ? null
                : client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(type));
    }

    private static final class ModelClasses {
        static final KubernetesSerialization ALL = new KubernetesSerialization();
    }

    /**
     * Waits until the server serves the kind of {@code ref}: a CRD applied a moment ago takes a while to be
     * established and discoverable. Throws the last lookup error after {@code timeout}.
     */
    void awaitServed(ObjectRef ref, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                kind(ref);
                return;
            } catch (KubernetesClientException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(DISCOVERY_POLL.toNanos());
            }
        }
    }

    /** Waits until {@code ref} no longer exists (finalizers done); throws when it still does after {@code timeout}. */
    void awaitGone(ObjectRef ref, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get(ref) != null) {
            if (System.nanoTime() > deadline) {
                throw new KubernetesClientException(ref.id() + " still exists " + timeout.toSeconds()
                        + " s after its deletion");
            }
            LockSupport.parkNanos(DISCOVERY_POLL.toNanos());
        }
    }

    Resource<GenericKubernetesResource> object(ObjectRef ref) {
        var kind = kind(ref);
        return ref.clusterScoped() ? kind.withName(ref.name()) : kind.inNamespace(ref.namespace()).withName(ref.name());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> toMap(GenericKubernetesResource resource) {
        return resource == null ? null : client.getKubernetesSerialization().convertValue(resource, Map.class);
    }

    GenericKubernetesResource fromMap(Map<String, Object> object) {
        return client.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
    }

    /** The live object as a map, or null when it does not exist. */
    Map<String, Object> get(ObjectRef ref) {
        return toMap(object(ref).get());
    }
}

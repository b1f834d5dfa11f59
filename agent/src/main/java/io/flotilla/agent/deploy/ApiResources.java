package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.flotilla.agent.model.ObjectRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Generic access to any kind by apiVersion and kind. Resolved endpoints are cached per group/version/kind; a kind
 * the server does not know (yet: its CRD may be applied next) is looked up again on the next call.
 */
final class ApiResources {
    private static final Duration DISCOVERY_POLL = Duration.ofMillis(200);

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
            // without the class-path scan (the agent's) leaves empty: ask the server, as it does for other groups.
            resolved = ref.group().isEmpty() ? discoverCore(ref) : null;
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
            discoverCore(ObjectRef ref) {
        APIResourceList served = client.getApiResources(ref.apiVersion());
        if (served == null || served.getResources() == null) {
            return null;
        }
        for (APIResource resource : served.getResources()) {
            if (ref.kind().equals(resource.getKind()) && !resource.getName().contains("/")) {
                return client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("")
                        .withVersion(ref.apiVersion()).withKind(ref.kind()).withPlural(resource.getName())
                        .withNamespaced(Boolean.TRUE.equals(resource.getNamespaced())).build());
            }
        }
        return null;
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

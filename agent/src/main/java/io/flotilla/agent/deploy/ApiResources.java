package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
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
            // fabric8's wording suggests a code change; say what kubectl and Helm say instead.
            throw new KubernetesClientException("no matches for kind \"" + ref.kind() + "\" in version \""
                    + ref.apiVersion() + "\"", e);
        }
        operations.put(ref.gvk(), resolved);
        return resolved;
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

package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.flotilla.agent.model.ObjectRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generic access to any kind by apiVersion and kind. Resolved endpoints are cached per group/version/kind; a kind
 * the server does not know (yet: its CRD may be applied next) is looked up again on the next call.
 */
final class ApiResources {
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
        var resolved = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
        operations.put(ref.gvk(), resolved);
        return resolved;
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

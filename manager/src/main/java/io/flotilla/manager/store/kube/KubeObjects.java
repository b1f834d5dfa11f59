package io.flotilla.manager.store.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flotilla.manager.api.ApiObjects;

/** Conversions between the manager's JSON objects and fabric8's generic resources. */
final class KubeObjects {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private KubeObjects() {
    }

    static ObjectNode toNode(GenericKubernetesResource resource) {
        ObjectNode node = ApiObjects.parse(SERIALIZATION.asJson(resource));
        // Server bookkeeping that callers of the Store never see in the embedded mode either.
        if (node.path("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        return node;
    }

    static GenericKubernetesResource toResource(ObjectNode node) {
        return SERIALIZATION.unmarshal(ApiObjects.toJson(node), GenericKubernetesResource.class);
    }
}

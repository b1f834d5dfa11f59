package io.flotilla.manager.store.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flotilla.manager.kube.CrdManifests;

import java.util.List;

/** The CRDs of charts/flotilla-crds ({@link CrdManifests}) as objects, for the manager to install at start. */
public final class BundledCrds {
    private BundledCrds() {
    }

    public static List<CustomResourceDefinition> load() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        return CrdManifests.yamlDocuments().stream()
                .map(yaml -> serialization.unmarshal(yaml, CustomResourceDefinition.class)).toList();
    }
}

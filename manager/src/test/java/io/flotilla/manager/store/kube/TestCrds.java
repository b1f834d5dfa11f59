package io.flotilla.manager.store.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.flotilla.manager.api.Kind;

import java.util.ArrayList;
import java.util.List;

/** Schema-less CRDs for the store's own tests (the chart's CRDs are tested by themselves). */
final class TestCrds {
    private TestCrds() {
    }

    static List<CustomResourceDefinition> all() {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (kind != Kind.SECRET) {
                crds.add(crd(kind.kindName(), kind.plural(), true));
            }
        }
        crds.add(crd("Content", "contents", false));
        return crds;
    }

    private static CustomResourceDefinition crd(String kind, String plural, boolean namespaced) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + Kind.GROUP).endMetadata()
                .withNewSpec().withGroup(Kind.GROUP).withScope(namespaced ? "Namespaced" : "Cluster")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
                .addNewVersion().withName(Kind.VERSION).withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .endVersion().endSpec().build();
    }
}

package io.flotilla.manager.store.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flotilla.manager.api.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The CRDs of charts/flotilla-crds, shipped on the manager's classpath so that it can install them itself. */
public final class BundledCrds {
    private BundledCrds() {
    }

    public static List<CustomResourceDefinition> load() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<String> plurals = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (kind != Kind.SECRET) {
                plurals.add(kind.plural());
            }
        }
        plurals.add("contents");
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (String plural : plurals) {
            String path = "flotilla-crds/" + plural + "." + Kind.GROUP + ".yaml";
            try (InputStream in = BundledCrds.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("CRD " + path + " is missing from the manager's classpath");
                }
                crds.add(serialization.unmarshal(in, CustomResourceDefinition.class));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read CRD " + path, e);
            }
        }
        return crds;
    }
}

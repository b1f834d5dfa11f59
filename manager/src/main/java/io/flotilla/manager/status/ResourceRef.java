package io.flotilla.manager.status;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/** A Kubernetes object deployed by a BundleDeployment. Empty strings, never null. */
public record ResourceRef(String kind, String apiVersion, String namespace, String name) {
    /** GitRepo {@code status.resources} order: by {@code type/id}, then apiVersion. */
    static final Comparator<ResourceRef> BY_TYPE_AND_ID = Comparator
            .comparing((ResourceRef r) -> r.type() + "/" + r.id())
            .thenComparing(ResourceRef::apiVersion)
            .thenComparing(ResourceRef::kind);

    public ResourceRef {
        kind = Objects.requireNonNullElse(kind, "");
        apiVersion = Objects.requireNonNullElse(apiVersion, "");
        namespace = Objects.requireNonNullElse(namespace, "");
        name = Objects.requireNonNullElse(name, "");
    }

    /** {@code <group>.<lower(kind)>}, just {@code <lower(kind)>} for the core group (§6.10). */
    public String type() {
        int slash = apiVersion.indexOf('/');
        String kindLower = kind.toLowerCase(Locale.ROOT);
        return slash < 0 ? kindLower : apiVersion.substring(0, slash) + "." + kindLower;
    }

    /** {@code ns/name}, or {@code name} for cluster-scoped objects. */
    public String id() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** §7.4: {@code <lower(kind)>.<first segment of apiVersion> <ns>/<name>}, e.g. {@code deployment.apps default/web}. */
    public String describe() {
        String kindLower = kind.toLowerCase(Locale.ROOT);
        String prefix = apiVersion.isEmpty() ? kindLower : kindLower + "." + apiVersion.split("/", 2)[0];
        return prefix + " " + id();
    }
}

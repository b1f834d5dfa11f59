package io.flotilla.agent.model;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * Identity of a Kubernetes object: apiVersion, kind, namespace ({@code ""} for cluster-scoped) and name.
 * Ordered by {@code apiVersion/kind/namespace/name} as Fleet sorts its plan (fleet-semantics §7.5).
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) implements Comparable<ObjectRef> {

    private static final Comparator<ObjectRef> ORDER = Comparator.comparing(ObjectRef::apiVersion)
            .thenComparing(ObjectRef::kind).thenComparing(ObjectRef::namespace).thenComparing(ObjectRef::name);

    public ObjectRef {
        apiVersion = apiVersion == null ? "" : apiVersion;
        kind = kind == null ? "" : kind;
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
    }

    /** The identity of an object given as a plain map. */
    public static ObjectRef of(Map<String, Object> object) {
        return new ObjectRef(Maps.string(object, "apiVersion"), Maps.string(object, "kind"),
                Maps.string(object, "metadata", "namespace"), Maps.string(object, "metadata", "name"));
    }

    public boolean clusterScoped() {
        return namespace.isEmpty();
    }

    /** API group, {@code ""} for the core group. */
    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public boolean isCrd() {
        return "CustomResourceDefinition".equals(kind) && "apiextensions.k8s.io".equals(group());
    }

    /** Group/version/kind, the unit that shares one informer and one API endpoint. */
    public String gvk() {
        return apiVersion + "/" + kind;
    }

    /**
     * Fleet's resource id (§7.4): {@code <lower(kind)>.<first segment of apiVersion> <ns>/<name>}, for example
     * {@code deployment.apps default/web} and {@code service.v1 ns/svc}.
     */
    public String id() {
        String type = kind.toLowerCase(Locale.ROOT);
        if (!apiVersion.isEmpty()) {
            int slash = apiVersion.indexOf('/');
            type += "." + (slash < 0 ? apiVersion : apiVersion.substring(0, slash));
        }
        return type + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }

    @Override
    public int compareTo(ObjectRef other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return id();
    }
}

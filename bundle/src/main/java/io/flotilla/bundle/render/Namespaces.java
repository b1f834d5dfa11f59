package io.flotilla.bundle.render;

import java.util.List;
import java.util.Map;

/**
 * Namespaces after rendering (fleet-semantics §7.2): with a target namespace ({@code namespace}) every namespaced
 * object is forced into it and a cluster-scoped object is an error; otherwise namespaced objects without a
 * namespace get the release namespace ({@code defaultNamespace}, else {@code default}). Cluster-scoped objects
 * (CRDs included) never carry a namespace.
 */
final class Namespaces {

    static final String DEFAULT = "default";

    private Namespaces() {
    }

    /** The namespace of the deployment: target namespace, else default namespace, else {@code default}. */
    static String releaseNamespace(String defaultNamespace, String targetNamespace) {
        if (targetNamespace != null && !targetNamespace.isEmpty()) {
            return targetNamespace;
        }
        return defaultNamespace != null && !defaultNamespace.isEmpty() ? defaultNamespace : DEFAULT;
    }

    static void apply(List<ManifestObject> objects, String defaultNamespace, String targetNamespace, RenderContext ctx)
            throws RenderException {
        boolean forced = targetNamespace != null && !targetNamespace.isEmpty();
        String namespace = releaseNamespace(defaultNamespace, targetNamespace);
        for (ManifestObject object : objects) {
            Map<String, Object> metadata = object.metadata();
            if (ctx.isClusterScoped(object.kind())) {
                if (forced) {
                    throw RenderException.inFile(object.file(), null, "invalid cluster scoped object [name="
                            + object.name() + " kind=" + object.kind() + "] found, consider using \"defaultNamespace\","
                            + " not \"namespace\" in fleet.yaml");
                }
                metadata.remove("namespace");
            } else if (forced || isEmpty(metadata.get("namespace"))) {
                metadata.put("namespace", namespace);
            }
        }
    }

    private static boolean isEmpty(Object value) {
        return value == null || String.valueOf(value).isEmpty();
    }
}

package io.flotilla.agent.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small Kubernetes objects as plain maps, for tests. */
final class Manifests {
    private Manifests() {
    }

    static Map<String, Object> configMap(String ns, String name, Map<String, String> data) {
        return map("apiVersion", "v1", "kind", "ConfigMap", "metadata", meta(ns, name), "data", new LinkedHashMap<>(data));
    }

    static Map<String, Object> deployment(String ns, String name, String image) {
        return map("apiVersion", "apps/v1", "kind", "Deployment", "metadata", meta(ns, name),
                "spec", map("replicas", 1,
                        "selector", map("matchLabels", map("app", name)),
                        "template", map("metadata", map("labels", map("app", name)),
                                "spec", map("containers", List.of(map("name", name, "image", image))))));
    }

    static Map<String, Object> crd(String group, String kind, String plural) {
        return map("apiVersion", "apiextensions.k8s.io/v1", "kind", "CustomResourceDefinition",
                "metadata", map("name", plural + "." + group),
                "spec", map("group", group, "scope", "Namespaced",
                        "names", map("kind", kind, "plural", plural, "singular", kind.toLowerCase(), "listKind", kind + "List"),
                        "versions", List.of(map("name", "v1", "served", true, "storage", true,
                                "schema", map("openAPIV3Schema", map("type", "object",
                                        "x-kubernetes-preserve-unknown-fields", true))))));
    }

    static Map<String, Object> custom(String apiVersion, String kind, String ns, String name, Map<String, Object> spec) {
        return map("apiVersion", apiVersion, "kind", kind, "metadata", meta(ns, name), "spec", spec);
    }

    static Map<String, Object> meta(String ns, String name) {
        return ns == null ? map("name", name) : map("name", name, "namespace", ns);
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}

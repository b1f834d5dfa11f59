package io.flotilla.bundle.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The part of Kubernetes' strategic merge patch that {@code _patch} files rely on, for objects of built-in API
 * groups (Fleet uses a strategic merge patch when the base file is a type registered in client-go, a JSON merge
 * patch otherwise). Maps merge as in a JSON merge patch; the well-known keyed lists of built-in types
 * ({@code containers} by {@code name}, {@code ports} by {@code containerPort} or {@code port}, {@code env},
 * {@code volumes}, {@code volumeMounts}, ...) merge item by item, with {@code $patch: delete} removing an item and
 * {@code $patch: replace} replacing a map; every other list is replaced. {@code $retainKeys} and
 * {@code $setElementOrder} directives are not supported.
 */
final class StrategicMergePatch {

    private static final String DIRECTIVE = "$patch";

    /** API groups whose types client-go registers ({@code ""} is the core group). */
    private static final Set<String> BUILT_IN_GROUPS = Set.of(
            "", "apps", "batch", "autoscaling", "policy", "extensions",
            "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io", "scheduling.k8s.io",
            "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io", "admissionregistration.k8s.io",
            "certificates.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io", "resource.k8s.io",
            "authentication.k8s.io", "authorization.k8s.io", "storagemigration.k8s.io",
            "internal.apiserver.k8s.io");

    /** Lists merged by a key, by field name. */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("env", "name"),
            Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("hostAliases", "ip"),
            Map.entry("conditions", "type"),
            Map.entry("ownerReferences", "uid"),
            Map.entry("topologySpreadConstraints", "topologyKey"),
            Map.entry("resourceClaims", "name"));

    /** Lists of scalars merged as sets. */
    private static final Set<String> MERGED_SCALAR_LISTS = Set.of("finalizers");

    private StrategicMergePatch() {
    }

    /** Whether Fleet would patch {@code original} strategically: a built-in type other than a CRD. */
    static boolean appliesTo(Object original) {
        if (!(original instanceof Map<?, ?> object) || !(object.get("apiVersion") instanceof String apiVersion)) {
            return false;
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return BUILT_IN_GROUPS.contains(group) && !"CustomResourceDefinition".equals(object.get("kind"));
    }

    static Object apply(Object original, Object patch) {
        if (original instanceof Map<?, ?> o && patch instanceof Map<?, ?> p) {
            return mergeMap(o, p);
        }
        return patch;
    }

    private static Map<String, Object> mergeMap(Map<?, ?> original, Map<?, ?> patch) {
        if ("replace".equals(patch.get(DIRECTIVE))) {
            return withoutDirectives(patch);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        original.forEach((k, v) -> result.put(String.valueOf(k), v));
        for (Map.Entry<?, ?> entry : patch.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            if (key.startsWith("$")) {
                continue;
            }
            Object current = result.get(key);
            if (value == null) {
                result.remove(key);
            } else if (current instanceof Map<?, ?> c && value instanceof Map<?, ?> v) {
                result.put(key, mergeMap(c, v));
            } else if (current instanceof List<?> c && value instanceof List<?> v) {
                result.put(key, mergeList(key, c, v));
            } else {
                result.put(key, value instanceof Map<?, ?> v ? withoutDirectives(v) : value);
            }
        }
        return result;
    }

    private static List<Object> mergeList(String field, List<?> original, List<?> patch) {
        if (MERGED_SCALAR_LISTS.contains(field)) {
            List<Object> union = new ArrayList<>(original);
            patch.stream().filter(item -> !union.contains(item)).forEach(union::add);
            return union;
        }
        String key = mergeKey(field, patch);
        if (key == null || !patch.stream().allMatch(item -> item instanceof Map<?, ?> m && m.get(key) != null)) {
            return new ArrayList<>(patch);
        }
        List<Object> result = new ArrayList<>(original);
        for (Object item : patch) {
            Map<?, ?> patchItem = (Map<?, ?>) item;
            Object id = patchItem.get(key);
            int at = indexOf(result, key, id);
            if ("delete".equals(patchItem.get(DIRECTIVE))) {
                if (at >= 0) {
                    result.remove(at);
                }
            } else if (at >= 0 && result.get(at) instanceof Map<?, ?> existing) {
                result.set(at, mergeMap(existing, patchItem));
            } else {
                result.add(withoutDirectives(patchItem));
            }
        }
        return result;
    }

    /** Container ports merge by {@code containerPort}, service ports by {@code port}. */
    private static String mergeKey(String field, List<?> patch) {
        if (field.equals("ports")) {
            boolean containerPorts = patch.stream().anyMatch(i -> i instanceof Map<?, ?> m && m.containsKey("containerPort"));
            return containerPorts ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    private static int indexOf(List<Object> items, String key, Object id) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof Map<?, ?> m && Objects.equals(String.valueOf(m.get(key)), String.valueOf(id))) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, Object> withoutDirectives(Map<?, ?> map) {
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!String.valueOf(k).startsWith("$")) {
                result.put(String.valueOf(k), v);
            }
        });
        return result;
    }
}

package io.flotilla.bundle.render;

import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 7386 JSON merge patch over plain maps, lists and scalars. */
final class JsonMergePatch {

    private JsonMergePatch() {
    }

    /**
     * Applies {@code patch} to {@code target} without modifying either: a map patch merges key by key
     * ({@code null} removes a key), anything else replaces the target.
     */
    static Object apply(Object target, Object patch) {
        if (!(patch instanceof Map<?, ?> patchMap)) {
            return patch;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (target instanceof Map<?, ?> targetMap) {
            targetMap.forEach((k, v) -> result.put(String.valueOf(k), v));
        }
        patchMap.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (v == null) {
                result.remove(key);
            } else {
                result.put(key, apply(result.get(key), v));
            }
        });
        return result;
    }
}

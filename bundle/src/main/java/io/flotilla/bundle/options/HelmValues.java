package io.flotilla.bundle.options;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep merge of free-form Helm value maps, as Fleet does for customizations and valuesFiles. */
public final class HelmValues {

    private HelmValues() {
    }

    /**
     * Deep-merges {@code overlay} onto {@code base}: where both sides hold a map the maps are merged
     * recursively; any other overlay value (scalar, list or {@code null}) replaces the base value.
     * Neither input is modified; the result is immutable.
     */
    public static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> result = new LinkedHashMap<>(base == null ? Map.of() : base);
        if (overlay != null) {
            overlay.forEach((key, value) -> result.put(key, mergeValue(result.get(key), value)));
        }
        return Copies.deepMap(result);
    }

    /**
     * fleet-semantics §2.5: the inline {@code helm.values} are the base and each values file, in list order, is
     * deep-merged on top (files override inline values, later files override earlier ones). With no files the
     * inline map is returned as is (possibly {@code null}, i.e. "no values").
     */
    public static Map<String, Object> mergeValuesFiles(Map<String, Object> inline, List<Map<String, Object>> filesInOrder) {
        if (filesInOrder == null || filesInOrder.isEmpty()) {
            return inline;
        }
        Map<String, Object> result = inline == null ? Map.of() : inline;
        for (Map<String, Object> file : filesInOrder) {
            result = deepMerge(result, file);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Object mergeValue(Object base, Object overlay) {
        if (base instanceof Map<?, ?> b && overlay instanceof Map<?, ?> o) {
            return deepMerge((Map<String, Object>) b, (Map<String, Object>) o);
        }
        return overlay;
    }
}

package io.flotilla.manager.targeting;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fleet's label filters with Flotilla's prefix {@code flotilla.io/} in place of {@code fleet.cattle.io/}: system
 * labels ({@code kubectl.kubernetes.io/...}, anything containing {@code cattle.io/}) are dropped, then the labels
 * of our own prefix (and, for cluster template data, {@code management.cattle.io/}) are added back.
 */
final class LabelFilters {

    static final String PREFIX = "flotilla.io/";
    private static final String MANAGEMENT_PREFIX = "management.cattle.io/";

    private LabelFilters() {
    }

    private static boolean isSystem(String key) {
        return key.startsWith("kubectl.kubernetes.io/") || key.contains("cattle.io/");
    }

    /** {@code ClusterLabels} of Helm value templating (§3.8). */
    static Map<String, String> templateLabels(Map<String, String> labels) {
        Map<String, String> result = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (!isSystem(k) || k.startsWith(PREFIX) || k.startsWith(MANAGEMENT_PREFIX)) {
                result.put(k, v);
            }
        });
        return result;
    }

    /** {@code ClusterAnnotations} of Helm value templating: the same removal, nothing added back. */
    static Map<String, String> templateAnnotations(Map<String, String> annotations) {
        Map<String, String> result = new TreeMap<>();
        annotations.forEach((k, v) -> {
            if (!isSystem(k)) {
                result.put(k, v);
            }
        });
        return result;
    }

    /** The bundle labels a BundleDeployment inherits (§5.2). */
    static Map<String, String> bundleLabelsForDeployments(Map<String, String> bundleLabels) {
        Map<String, String> result = new LinkedHashMap<>();
        bundleLabels.forEach((k, v) -> {
            if (!isSystem(k) || k.startsWith(PREFIX)) {
                result.put(k, v);
            }
        });
        return result;
    }
}

package io.flotilla.manager.targeting;

import java.util.Map;

/**
 * What targeting needs of a Cluster: its registration namespace and name, labels, annotations and
 * {@code spec.templateValues} (the {@code ClusterValues} of Helm value templating). Null maps read as empty.
 */
public record ClusterInfo(String namespace, String name, Map<String, String> labels,
        Map<String, String> annotations, Map<String, Object> templateValues) {

    public ClusterInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        templateValues = templateValues == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(templateValues));
    }

    public static ClusterInfo of(String namespace, String name, Map<String, String> labels) {
        return new ClusterInfo(namespace, name, labels, Map.of(), Map.of());
    }

    public ClusterKey key() {
        return new ClusterKey(namespace, name);
    }

    public ClusterInfo withLabels(Map<String, String> newLabels) {
        return new ClusterInfo(namespace, name, newLabels, annotations, templateValues);
    }
}

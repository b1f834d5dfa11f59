package io.flotilla.manager.targeting;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.manager.targeting.template.GoTemplate;
import io.flotilla.manager.targeting.template.TemplateException;
import io.flotilla.manager.targeting.template.Yaml;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helm value pre-processing with cluster data (§3.8): {@code global.fleet.clusterLabels.<key>} substitution, then
 * the values rendered as a Go template with delimiters {@code ${ }} and each {@code templateValues} entry rendered
 * and set as a top-level value.
 */
final class HelmValuesPreprocessor {

    static final String CLUSTER_LABEL_REFERENCE = "global.fleet.clusterLabels.";
    private static final int MAX_DEPTH = 50;

    private HelmValuesPreprocessor() {
    }

    /** Whether the result can depend on the cluster beyond "has labels or not"; false allows sharing results. */
    static boolean dependsOnCluster(BundleDeploymentOptions opts) {
        HelmOptions helm = opts.helm();
        if (helm == null) {
            return false;
        }
        if (helm.templateValues() != null && !helm.templateValues().isEmpty()) {
            return true;
        }
        return helm.values() != null && mentionsCluster(helm.values(), 0);
    }

    private static boolean mentionsCluster(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            return true;
        }
        if (value instanceof String s) {
            return s.contains("${") || s.startsWith(CLUSTER_LABEL_REFERENCE);
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (String.valueOf(e.getKey()).contains("${") || mentionsCluster(e.getValue(), depth + 1)) {
                    return true;
                }
            }
        }
        if (value instanceof Collection<?> c) {
            for (Object o : c) {
                if (mentionsCluster(o, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @throws TemplateException with the template or YAML problem; the caller names the cluster
     */
    static BundleDeploymentOptions process(BundleDeploymentOptions opts, ClusterInfo cluster) {
        Map<String, String> clusterLabels = LabelFilters.templateLabels(cluster.labels());
        if (clusterLabels.isEmpty()) {
            return opts;
        }
        HelmOptions helm = opts.helm();
        if (helm == null) {
            // a cluster's first label changes the deploymentID: Fleet injects helm: {} here
            return opts.toBuilder().helm(HelmOptions.empty()).build();
        }
        if (!dependsOnCluster(opts)) {
            // rendering values without templates would give them back unchanged
            return opts;
        }
        boolean hasTemplateValues = helm.templateValues() != null && !helm.templateValues().isEmpty();
        if (helm.values() == null && !hasTemplateValues) {
            return opts;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = helm.values() == null ? new LinkedHashMap<>()
                : (Map<String, Object>) mutableCopy(helm.values());
        substituteClusterLabels(values, clusterLabels, 0);
        if (!Boolean.TRUE.equals(helm.disablePreProcess())) {
            Map<String, Object> context = templateContext(cluster, clusterLabels);
            values = renderValues(values, context);
            if (hasTemplateValues) {
                for (Map.Entry<String, String> e : helm.templateValues().entrySet()) {
                    String rendered = GoTemplate.render(e.getKey(), e.getValue(), context);
                    values.put(e.getKey(), Yaml.load(rendered));
                }
            }
        }
        return opts.toBuilder().helm(helm.toBuilder().values(values).build()).build();
    }

    private static Map<String, Object> templateContext(ClusterInfo cluster, Map<String, String> clusterLabels) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("ClusterNamespace", cluster.namespace());
        context.put("ClusterName", cluster.name());
        context.put("ClusterLabels", clusterLabels);
        context.put("ClusterAnnotations", LabelFilters.templateAnnotations(cluster.annotations()));
        context.put("ClusterValues", cluster.templateValues());
        return context;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> renderValues(Map<String, Object> values, Map<String, Object> context) {
        String rendered = GoTemplate.render("values", Yaml.dump(values), context);
        Object parsed = Yaml.load(rendered);
        if (parsed == null) {
            return new LinkedHashMap<>();
        }
        if (!(parsed instanceof Map)) {
            throw new TemplateException("rendered helm values are not a map: " + rendered.strip());
        }
        return (Map<String, Object>) mutableCopy(parsed);
    }

    /** A mutable deep copy of maps and lists, so substitution can edit values in place. */
    private static Object mutableCopy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), mutableCopy(v)));
            return copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(mutableCopy(v)));
            return copy;
        }
        return value;
    }

    /** Replaces strings in maps (also maps inside lists, not strings directly in lists) naming a cluster label. */
    @SuppressWarnings("unchecked")
    private static void substituteClusterLabels(Map<String, Object> map, Map<String, String> labels, int depth) {
        if (depth > MAX_DEPTH) {
            throw new TemplateException("helm values are nested more than " + MAX_DEPTH + " levels deep");
        }
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof String s && s.startsWith(CLUSTER_LABEL_REFERENCE)) {
                e.setValue(labels.getOrDefault(s.substring(CLUSTER_LABEL_REFERENCE.length()), ""));
            } else if (v instanceof Map<?, ?> m) {
                substituteClusterLabels((Map<String, Object>) m, labels, depth + 1);
            } else if (v instanceof List<?> l) {
                for (Object element : l) {
                    if (element instanceof Map<?, ?> m) {
                        substituteClusterLabels((Map<String, Object>) m, labels, depth + 1);
                    }
                }
            }
        }
    }
}

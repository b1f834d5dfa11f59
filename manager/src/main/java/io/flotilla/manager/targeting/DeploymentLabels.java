package io.flotilla.manager.targeting;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Labels of a BundleDeployment (§5.2): the bundle's inheritable labels plus five identifying labels. The bundle
 * part is shared by all BDs of the bundle, so millions of BDs do not each hold a copy.
 */
final class DeploymentLabels extends AbstractMap<String, String> {

    static final String BUNDLE_NAME = LabelFilters.PREFIX + "bundle-name";
    static final String BUNDLE_NAMESPACE = LabelFilters.PREFIX + "bundle-namespace";
    static final String MANAGED = LabelFilters.PREFIX + "managed";
    static final String CLUSTER_NAMESPACE = LabelFilters.PREFIX + "cluster-namespace";
    static final String CLUSTER = LabelFilters.PREFIX + "cluster";

    /** Everything that does not depend on the cluster, computed once per bundle. */
    private final Map<String, String> bundlePart;
    private final ClusterKey cluster;

    private DeploymentLabels(Map<String, String> bundlePart, ClusterKey cluster) {
        this.bundlePart = bundlePart;
        this.cluster = cluster;
    }

    /** The cluster-independent part for a bundle. */
    static Map<String, String> bundlePart(BundleInfo bundle) {
        Map<String, String> labels = LabelFilters.bundleLabelsForDeployments(bundle.labels());
        labels.remove(CLUSTER_NAMESPACE);
        labels.remove(CLUSTER);
        labels.put(BUNDLE_NAME, bundle.name());
        labels.put(BUNDLE_NAMESPACE, bundle.namespace());
        labels.put(MANAGED, "true");
        return Map.copyOf(labels);
    }

    static Map<String, String> of(Map<String, String> bundlePart, ClusterKey cluster) {
        return new DeploymentLabels(bundlePart, cluster);
    }

    @Override
    public String get(Object key) {
        if (CLUSTER_NAMESPACE.equals(key)) {
            return cluster.namespace();
        }
        if (CLUSTER.equals(key)) {
            return cluster.name();
        }
        return bundlePart.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return CLUSTER_NAMESPACE.equals(key) || CLUSTER.equals(key) || bundlePart.containsKey(key);
    }

    @Override
    public int size() {
        return bundlePart.size() + 2;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Map<String, String> all = new LinkedHashMap<>(bundlePart);
        all.put(CLUSTER_NAMESPACE, cluster.namespace());
        all.put(CLUSTER, cluster.name());
        return java.util.Collections.unmodifiableMap(all).entrySet();
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof DeploymentLabels other) {
            return cluster.equals(other.cluster) && bundlePart.equals(other.bundlePart);
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}

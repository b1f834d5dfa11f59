package io.flotilla.manager.targeting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The current bundles, clusters and groups with the desired BundleDeployment set, kept up to date incrementally.
 * A bundle change re-evaluates that bundle against the clusters of its namespace; a cluster change re-evaluates
 * that cluster against the bundles of its namespace; a group change re-evaluates the clusters whose memberships
 * changed. Selectors are compiled once per bundle and group, memberships are kept per cluster.
 *
 * <p>A bundle whose targeting fails keeps its desired BDs unchanged, as Fleet keeps BDs when the bundle reconcile
 * fails; once the failure is gone the bundle is evaluated in full again. Not thread-safe: drive it from one thread
 * (it may use the common fork-join pool internally to evaluate a bundle against a large namespace).
 */
public final class TargetingIndex {

    /** Namespaces with this many clusters evaluate a bundle on the common fork-join pool. */
    private static final int PARALLEL_THRESHOLD = 2048;

    private final Map<String, Namespace> namespaces = new HashMap<>();

    private static final class Namespace {
        final Map<String, ClusterView> clusters = new HashMap<>();
        final Map<String, CompiledGroup> groups = new TreeMap<>();
        final Map<String, BundleState> bundles = new HashMap<>();

        boolean isEmpty() {
            return clusters.isEmpty() && groups.isEmpty() && bundles.isEmpty();
        }
    }

    private static final class BundleState {
        final BundleInfo info;
        final CompiledBundle compiled;
        final String compileError;
        Map<String, DesiredDeployment> desired;
        /** Cluster name → targeting error message, for clusters whose evaluation currently fails. */
        final TreeMap<String, String> failing = new TreeMap<>();

        BundleState(BundleInfo info, CompiledBundle compiled, String compileError,
                Map<String, DesiredDeployment> desired) {
            this.info = info;
            this.compiled = compiled;
            this.compileError = compileError;
            this.desired = desired;
        }

        TargetingError error() {
            String message = compileError != null ? compileError : failing.firstEntry().getValue();
            return new TargetingError(info.key(), message);
        }
    }

    /** Collects changes and reports each failing bundle at most once per operation. */
    private static final class Changes {
        final BdChanges.Collector collector = new BdChanges.Collector();
        final Map<BundleKey, Boolean> reported = new LinkedHashMap<>();

        void error(BundleState b) {
            if (reported.putIfAbsent(b.info.key(), Boolean.TRUE) == null) {
                collector.error(b.error());
            }
        }
    }

    // ---- bundles ----------------------------------------------------------------------------------------------

    public BdChanges upsertBundle(BundleInfo bundle) {
        Namespace ns = namespace(bundle.namespace());
        BundleState old = ns.bundles.get(bundle.name());
        Map<String, DesiredDeployment> desired = old == null ? new HashMap<>() : old.desired;
        BundleState state;
        try {
            state = new BundleState(bundle, CompiledBundle.compile(bundle), null, desired);
        } catch (TargetingFailure e) {
            state = new BundleState(bundle, null, e.getMessage(), desired);
        }
        ns.bundles.put(bundle.name(), state);
        Changes changes = new Changes();
        if (state.compileError != null) {
            changes.error(state);
        } else {
            evaluateAll(ns, state, changes);
        }
        return changes.collector.build();
    }

    public BdChanges removeBundle(BundleKey key) {
        Namespace ns = namespaces.get(key.namespace());
        BundleState state = ns == null ? null : ns.bundles.remove(key.name());
        if (state == null) {
            return BdChanges.NONE;
        }
        Changes changes = new Changes();
        state.desired.values().forEach(d -> changes.collector.change(d, null));
        dropIfEmpty(key.namespace(), ns);
        return changes.collector.build();
    }

    // ---- clusters ---------------------------------------------------------------------------------------------

    public BdChanges upsertCluster(ClusterInfo cluster) {
        Namespace ns = namespace(cluster.namespace());
        ClusterView view = ClusterView.of(cluster, CompiledGroup.membershipsOf(cluster, ns.groups.values()));
        ns.clusters.put(cluster.name(), view);
        Changes changes = new Changes();
        for (BundleState b : ns.bundles.values()) {
            evaluateOne(ns, b, view, changes);
        }
        return changes.collector.build();
    }

    public BdChanges removeCluster(ClusterKey key) {
        Namespace ns = namespaces.get(key.namespace());
        if (ns == null || ns.clusters.remove(key.name()) == null) {
            return BdChanges.NONE;
        }
        Changes changes = new Changes();
        for (BundleState b : ns.bundles.values()) {
            // the cluster's namespace and its BDs go with the cluster, whatever the bundle's state
            changes.collector.change(b.desired.remove(key.name()), null);
            boolean wasFailing = !b.failing.isEmpty();
            b.failing.remove(key.name());
            if (wasFailing && b.failing.isEmpty() && b.compileError == null) {
                evaluateAll(ns, b, changes);
            }
        }
        dropIfEmpty(key.namespace(), ns);
        return changes.collector.build();
    }

    // ---- groups -----------------------------------------------------------------------------------------------

    public BdChanges upsertGroup(ClusterGroupInfo group) {
        Namespace ns = namespace(group.namespace());
        ns.groups.put(group.name(), CompiledGroup.of(group));
        return regroup(ns);
    }

    public BdChanges removeGroup(String namespace, String name) {
        Namespace ns = namespaces.get(namespace);
        if (ns == null || ns.groups.remove(name) == null) {
            return BdChanges.NONE;
        }
        BdChanges changes = regroup(ns);
        dropIfEmpty(namespace, ns);
        return changes;
    }

    /** Recomputes memberships and re-evaluates the clusters whose groups (names or group labels) changed. */
    private BdChanges regroup(Namespace ns) {
        List<ClusterView> changed = new ArrayList<>();
        for (ClusterView view : ns.clusters.values()) {
            ClusterView regrouped = view.withGroups(CompiledGroup.membershipsOf(view.cluster(), ns.groups.values()));
            if (!regrouped.groups().equals(view.groups())) {
                changed.add(regrouped);
            }
        }
        // store every new membership first, so a bundle re-evaluated in full sees all of them
        changed.forEach(view -> ns.clusters.put(view.cluster().name(), view));
        Changes changes = new Changes();
        for (ClusterView view : changed) {
            for (BundleState b : ns.bundles.values()) {
                evaluateOne(ns, b, view, changes);
            }
        }
        return changes.collector.build();
    }

    // ---- queries ----------------------------------------------------------------------------------------------

    /** The desired BDs of a bundle, by cluster. */
    public Map<ClusterKey, DesiredDeployment> desired(BundleKey bundle) {
        Namespace ns = namespaces.get(bundle.namespace());
        BundleState state = ns == null ? null : ns.bundles.get(bundle.name());
        Map<ClusterKey, DesiredDeployment> result = new HashMap<>();
        if (state != null) {
            state.desired.values().forEach(d -> result.put(d.clusterKey(), d));
        }
        return result;
    }

    /** Whether targeting of this bundle currently fails (its last error has not been cleared by a change). */
    public boolean failing(BundleKey bundle) {
        Namespace ns = namespaces.get(bundle.namespace());
        BundleState state = ns == null ? null : ns.bundles.get(bundle.name());
        return state != null && (state.compileError != null || !state.failing.isEmpty());
    }

    /** Every desired BD. */
    public List<DesiredDeployment> allDesired() {
        List<DesiredDeployment> all = new ArrayList<>();
        namespaces.values().forEach(ns -> ns.bundles.values().forEach(b -> all.addAll(b.desired.values())));
        return all;
    }

    /** The desired BDs on one cluster. */
    public List<DesiredDeployment> desiredOnCluster(ClusterKey cluster) {
        Namespace ns = namespaces.get(cluster.namespace());
        List<DesiredDeployment> result = new ArrayList<>();
        if (ns != null) {
            for (BundleState b : ns.bundles.values()) {
                DesiredDeployment d = b.desired.get(cluster.name());
                if (d != null) {
                    result.add(d);
                }
            }
        }
        return result;
    }

    // ---- evaluation -------------------------------------------------------------------------------------------

    private void evaluateAll(Namespace ns, BundleState b, Changes changes) {
        List<ClusterView> views = new ArrayList<>(ns.clusters.values());
        Object[] outcomes = new Object[views.size()];
        IntStream indices = IntStream.range(0, views.size());
        if (views.size() >= PARALLEL_THRESHOLD) {
            indices = indices.parallel();
        }
        indices.forEach(i -> {
            try {
                outcomes[i] = b.compiled.evaluate(views.get(i));
            } catch (TargetingFailure e) {
                outcomes[i] = e;
            }
        });
        Map<String, DesiredDeployment> next = new HashMap<>();
        b.failing.clear();
        for (int i = 0; i < outcomes.length; i++) {
            String cluster = views.get(i).cluster().name();
            if (outcomes[i] instanceof TargetingFailure e) {
                b.failing.put(cluster, e.getMessage());
            } else if (((CompiledBundle.Outcome) outcomes[i]).deployment() != null) {
                next.put(cluster, ((CompiledBundle.Outcome) outcomes[i]).deployment());
            }
        }
        if (!b.failing.isEmpty()) {
            changes.error(b);
            return;
        }
        for (Map.Entry<String, DesiredDeployment> e : b.desired.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                changes.collector.change(e.getValue(), null);
            }
        }
        for (Map.Entry<String, DesiredDeployment> e : next.entrySet()) {
            changes.collector.change(b.desired.get(e.getKey()), e.getValue());
        }
        b.desired = next;
    }

    private void evaluateOne(Namespace ns, BundleState b, ClusterView view, Changes changes) {
        if (b.compileError != null) {
            changes.error(b);
            return;
        }
        String name = view.cluster().name();
        boolean wasFailing = !b.failing.isEmpty();
        DesiredDeployment next;
        try {
            next = b.compiled.evaluate(view).deployment();
            b.failing.remove(name);
        } catch (TargetingFailure e) {
            b.failing.put(name, e.getMessage());
            changes.error(b);
            return;
        }
        if (!b.failing.isEmpty()) {
            changes.error(b);
            return;
        }
        if (wasFailing) {
            // changes held back while the bundle failed are applied now
            evaluateAll(ns, b, changes);
            return;
        }
        DesiredDeployment before = next == null ? b.desired.remove(name) : b.desired.put(name, next);
        changes.collector.change(before, next);
    }

    private Namespace namespace(String name) {
        return namespaces.computeIfAbsent(name, n -> new Namespace());
    }

    private void dropIfEmpty(String name, Namespace ns) {
        if (ns.isEmpty()) {
            namespaces.remove(name);
        }
    }

    /** Number of desired BDs, for metrics. */
    public int size() {
        int n = 0;
        for (Namespace ns : namespaces.values()) {
            for (BundleState b : ns.bundles.values()) {
                n += b.desired.size();
            }
        }
        return n;
    }
}

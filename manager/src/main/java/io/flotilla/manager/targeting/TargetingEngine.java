package io.flotilla.manager.targeting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, for one bundle and every candidate cluster, whether it gets a BundleDeployment and with which options
 * (fleet-semantics §3 and §5). Candidates are the clusters in the bundle's namespace.
 */
public final class TargetingEngine {

    private TargetingEngine() {
    }

    public static TargetingResult evaluate(BundleInfo bundle, Collection<ClusterInfo> clusters,
            Collection<ClusterGroupInfo> groups) {
        List<CompiledGroup> compiledGroups = new ArrayList<>();
        for (ClusterGroupInfo g : groups) {
            if (g.namespace().equals(bundle.namespace())) {
                compiledGroups.add(CompiledGroup.of(g));
            }
        }
        List<ClusterView> views = new ArrayList<>();
        for (ClusterInfo c : clusters) {
            if (c.namespace().equals(bundle.namespace())) {
                views.add(ClusterView.of(c, CompiledGroup.membershipsOf(c, compiledGroups)));
            }
        }
        return evaluate(bundle, views);
    }

    static TargetingResult evaluate(BundleInfo bundle, Collection<ClusterView> clusters) {
        Map<ClusterKey, DesiredDeployment> deployments = new HashMap<>();
        Map<ClusterKey, Exclusion> exclusions = new HashMap<>();
        try {
            CompiledBundle compiled = CompiledBundle.compile(bundle);
            // sorted by cluster name like Fleet, so the first failing cluster is the one reported
            List<ClusterView> sorted = new ArrayList<>(clusters);
            sorted.sort(java.util.Comparator.comparing(v -> v.cluster().name()));
            for (ClusterView view : sorted) {
                CompiledBundle.Outcome outcome = compiled.evaluate(view);
                if (outcome.deployment() != null) {
                    deployments.put(view.key(), outcome.deployment());
                } else {
                    exclusions.put(view.key(), outcome.exclusion());
                }
            }
        } catch (TargetingFailure e) {
            return TargetingResult.failed(new TargetingError(bundle.key(), e.getMessage()));
        }
        return new TargetingResult(bundle.key(), deployments, exclusions, null);
    }
}

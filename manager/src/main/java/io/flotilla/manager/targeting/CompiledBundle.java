package io.flotilla.manager.targeting;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.DeploymentIds;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.OptionsMerge;
import io.flotilla.manager.targeting.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bundle with its targets compiled, deciding per cluster (§3.4, §3.5, §3.8, §3.9, §5). Options merged for one
 * combination of matched target and customizations are computed once; so is the deploymentID whenever the helm
 * values do not depend on the cluster. Safe for concurrent {@link #evaluate} calls: the caches are filled with
 * immutable values, and two threads filling the same slot compute equal values.
 */
final class CompiledBundle {

    /**
     * One target with its matcher; {@code position} is its place among the targets or the customizations,
     * {@code displayName} its name, or {@code targets[i]} (its index in the bundle's targets) when it has none.
     */
    private record Target(BundleTarget target, ClusterMatcher matcher, int position, String displayName) {
    }

    /** What a cluster gets: a deployment, or an exclusion. */
    record Outcome(DesiredDeployment deployment, Exclusion exclusion) {
    }

    /** Options merged for one combination; {@code shared[hasLabels]} is filled when cluster-independent. */
    private static final class Merged {
        final BundleDeploymentOptions options;
        final String matchedTarget;
        final List<String> customizations;
        final boolean dependsOnCluster;
        final Prepared[] shared = new Prepared[2];

        Merged(BundleDeploymentOptions options, String matchedTarget, List<String> customizations) {
            this.options = options;
            this.matchedTarget = matchedTarget;
            this.customizations = customizations;
            this.dependsOnCluster = HelmValuesPreprocessor.dependsOnCluster(options);
        }
    }

    private record Prepared(BundleDeploymentOptions options, String deploymentId) {
    }

    private final BundleInfo bundle;
    private final List<Target> targets;
    private final List<Target> customizations;
    private final List<ClusterMatcher> restrictions;
    private final List<ClusterMatcher> partitions;
    private final Map<String, String> labelsBundlePart;
    private final Map<String, String> targetNamespaceLabels;
    private final Map<String, String> targetNamespaceAnnotations;
    private final Merged[] singles;
    private final Map<List<Integer>, Merged> combinations = new ConcurrentHashMap<>();

    private CompiledBundle(BundleInfo bundle, List<Target> targets, List<Target> customizations,
            List<ClusterMatcher> restrictions, List<ClusterMatcher> partitions) {
        this.bundle = bundle;
        this.partitions = partitions;
        this.targets = targets;
        this.customizations = customizations;
        this.restrictions = restrictions;
        this.labelsBundlePart = DeploymentLabels.bundlePart(bundle);
        this.targetNamespaceLabels = union(bundle.targets(), true);
        this.targetNamespaceAnnotations = union(bundle.targets(), false);
        this.singles = new Merged[targets.size() * (customizations.size() + 1)];
    }

    /** @throws TargetingFailure when a selector of a target or restriction is invalid */
    static CompiledBundle compile(BundleInfo bundle) {
        List<BundleTarget> all = bundle.targets();
        List<GitTarget> restrictionSpecs = bundle.targetRestrictions();
        // position rule (§3.4): without restrictions every target is a plain target
        int customizationCount = restrictionSpecs.isEmpty() ? 0
                : Math.max(0, all.size() - restrictionSpecs.size());
        List<Target> targets = new ArrayList<>();
        List<Target> customizations = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            BundleTarget t = all.get(i);
            ClusterMatcher matcher = matcher(bundle, t.matcher(), "targets", i);
            // unnamed targets are valid (Fleet's own tooling and API clients create them): name them by index
            String displayName = t.name() == null || t.name().isEmpty() ? "targets[" + i + "]" : t.name();
            if (i < customizationCount) {
                customizations.add(new Target(t, matcher, customizations.size(), displayName));
            } else {
                targets.add(new Target(t, matcher, targets.size(), displayName));
            }
        }
        List<ClusterMatcher> restrictions = new ArrayList<>();
        for (int i = 0; i < restrictionSpecs.size(); i++) {
            restrictions.add(matcher(bundle, restrictionSpecs.get(i), "targetRestrictions", i));
        }
        List<ClusterMatcher> partitions = new ArrayList<>();
        for (int i = 0; i < bundle.rolloutPartitions().size(); i++) {
            partitions.add(matcher(bundle, bundle.rolloutPartitions().get(i), "rolloutStrategy.partitions", i));
        }
        return new CompiledBundle(bundle, targets, customizations, restrictions, partitions);
    }

    private static ClusterMatcher matcher(BundleInfo bundle, GitTarget spec, String what, int index) {
        try {
            return ClusterMatcher.of(spec);
        } catch (InvalidSelectorException e) {
            String name = spec.name() == null || spec.name().isEmpty() ? what + "[" + index + "]"
                    : (what.equals("targets") ? "target" : what.equals("targetRestrictions") ? "target restriction"
                    : "rollout partition") + " \"" + spec.name() + "\"";
            throw new TargetingFailure("targeting error: bundle " + bundle.key() + ": " + name + ": " + e.getMessage());
        }
    }

    /** @throws TargetingFailure when Helm value templating fails for this cluster */
    Outcome evaluate(ClusterView view) {
        ClusterInfo cluster = view.cluster();
        Target matched = matchTarget(view);
        if (matched == null) {
            return new Outcome(null, Exclusion.NOT_MATCHED);
        }
        if (matched.target().doNotDeploy()) {
            return new Outcome(null, new Exclusion.DoNotDeploy(matched.displayName()));
        }
        Merged m;
        if (bundle.allMatches()) {
            List<Target> applied = null;
            for (Target c : customizations) {
                if (c.matcher().matchesAnyGroup(cluster, view.groups())) {
                    if (c.target().doNotDeploy()) {
                        return new Outcome(null, new Exclusion.DoNotDeploy(c.displayName()));
                    }
                    if (applied == null) {
                        applied = new ArrayList<>(2);
                    }
                    applied.add(c);
                }
            }
            m = applied == null || applied.size() == 1
                    ? single(matched, applied == null ? null : applied.get(0))
                    : combined(matched, applied);
        } else {
            Target first = null;
            for (Target c : customizations) {
                if (c.matcher().matchesAnyGroup(cluster, view.groups())) {
                    if (c.target().doNotDeploy()) {
                        return new Outcome(null, new Exclusion.DoNotDeploy(c.displayName()));
                    }
                    first = c;
                    break;
                }
            }
            m = single(matched, first);
        }
        Prepared prepared = prepare(m, view);
        DesiredDeployment deployment = new DesiredDeployment(view.key(), bundle.name(), view.bdNamespace(),
                DeploymentLabels.of(labelsBundlePart, view.key()), prepared.options(), prepared.deploymentId(),
                m.matchedTarget, m.customizations, partitionsOf(view));
        return new Outcome(deployment, null);
    }

    /** Indices of the manual rollout partitions selecting the cluster (§8: a cluster may be in several). */
    private List<Integer> partitionsOf(ClusterView view) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        List<Integer> result = new ArrayList<>(1);
        for (int i = 0; i < partitions.size(); i++) {
            if (partitions.get(i).matchesAnyGroup(view.cluster(), view.groups())) {
                result.add(i);
            }
        }
        return result;
    }

    /** The first plain target that matches together with a restriction, both with the same group (§3.5 step 1). */
    private Target matchTarget(ClusterView view) {
        for (Target t : targets) {
            for (GroupRef g : view.groups()) {
                if (t.matcher().matches(view.cluster(), g)
                        && (restrictions.isEmpty() || ClusterMatcher.anyMatches(restrictions, view.cluster(), g))) {
                    return t;
                }
            }
        }
        return null;
    }

    /** Options for a matched target with at most one customization, from a flat array (racy but idempotent). */
    private Merged single(Target matched, Target customization) {
        int slot = matched.position() * (customizations.size() + 1)
                + (customization == null ? 0 : customization.position() + 1);
        Merged m = singles[slot];
        if (m == null) {
            m = customization == null ? merge(matched, List.of()) : merge(matched, List.of(customization));
            singles[slot] = m;
        }
        return m;
    }

    private Merged combined(Target matched, List<Target> applied) {
        List<Integer> key = new ArrayList<>(applied.size() + 1);
        key.add(matched.position());
        applied.forEach(c -> key.add(c.position()));
        return combinations.computeIfAbsent(key, k -> merge(matched, applied));
    }

    private Merged merge(Target matched, List<Target> applied) {
        BundleDeploymentOptions targetOptions = matched.target().options();
        List<String> names = new ArrayList<>();
        if (bundle.allMatches()) {
            for (Target c : applied) {
                targetOptions = OptionsMerge.merge(targetOptions, c.target().options());
                names.add(c.displayName());
            }
        } else if (!applied.isEmpty()) {
            // FirstMatch: the customization replaces the target's options
            targetOptions = applied.get(0).target().options();
            names.add(applied.get(0).displayName());
        }
        // the matched target keeps its own name (null when unnamed), so a BD does not change when targets are added
        return new Merged(OptionsMerge.merge(bundle.options(), targetOptions), matched.target().name(),
                List.copyOf(names));
    }

    private Prepared prepare(Merged m, ClusterView view) {
        if (!m.dependsOnCluster) {
            int slot = view.hasTemplateLabels() ? 1 : 0;
            Prepared p = m.shared[slot];
            if (p == null) {
                p = prepared(view.hasTemplateLabels() ? HelmValuesPreprocessor.process(m.options, view.cluster())
                        : m.options);
                m.shared[slot] = p;
            }
            return p;
        }
        try {
            return prepared(HelmValuesPreprocessor.process(m.options, view.cluster()));
        } catch (TemplateException e) {
            throw new TargetingFailure("targeting error: cluster " + view.cluster().name() + " in namespace "
                    + view.cluster().namespace() + ": " + e.getMessage());
        }
    }

    private Prepared prepared(BundleDeploymentOptions opts) {
        String deploymentId = DeploymentIds.deploymentId(bundle.manifestId(), opts);
        return new Prepared(withTargetNamespaceMetadata(opts), deploymentId);
    }

    /** §3.9: every target's namespace labels/annotations, in list order, on top of the merged ones. */
    private BundleDeploymentOptions withTargetNamespaceMetadata(BundleDeploymentOptions opts) {
        if (targetNamespaceLabels == null && targetNamespaceAnnotations == null) {
            return opts;
        }
        BundleDeploymentOptions.Builder b = opts.toBuilder();
        if (targetNamespaceLabels != null) {
            b.namespaceLabels(overlay(opts.namespaceLabels(), targetNamespaceLabels));
        }
        if (targetNamespaceAnnotations != null) {
            b.namespaceAnnotations(overlay(opts.namespaceAnnotations(), targetNamespaceAnnotations));
        }
        return b.build();
    }

    private static Map<String, String> overlay(Map<String, String> base, Map<String, String> top) {
        Map<String, String> result = base == null ? new LinkedHashMap<>() : new LinkedHashMap<>(base);
        result.putAll(top);
        return result;
    }

    private static Map<String, String> union(List<BundleTarget> targets, boolean labels) {
        Map<String, String> result = null;
        for (BundleTarget t : targets) {
            Map<String, String> m = labels ? t.namespaceLabels() : t.namespaceAnnotations();
            if (m != null) {
                if (result == null) {
                    result = new LinkedHashMap<>();
                }
                result.putAll(m);
            }
        }
        return result;
    }
}

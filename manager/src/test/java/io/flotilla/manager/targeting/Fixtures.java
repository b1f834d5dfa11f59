package io.flotilla.manager.targeting;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.LabelSelectorSpec;
import io.flotilla.manager.targeting.BundleTargetsBuilder.BundleTargets;
import io.flotilla.manager.targeting.BundleTargetsBuilder.GitRepoSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for targeting tests. */
final class Fixtures {

    static final String NS = "fleet-default";
    static final String MANIFEST = "s-0123456789abcdef";

    private Fixtures() {
    }

    /** {@code labels("a=1,b=2")}. */
    static Map<String, String> labels(String csv) {
        Map<String, String> m = new LinkedHashMap<>();
        if (csv == null || csv.isBlank()) {
            return m;
        }
        for (String kv : csv.split(",")) {
            String[] parts = kv.split("=", 2);
            m.put(parts[0].strip(), parts.length > 1 ? parts[1].strip() : "");
        }
        return m;
    }

    static ClusterInfo cluster(String name, String labelCsv) {
        return ClusterInfo.of(NS, name, labels(labelCsv));
    }

    static ClusterGroupInfo group(String name, String selectorCsv, String groupLabelsCsv) {
        return new ClusterGroupInfo(NS, name, labels(groupLabelsCsv),
                selectorCsv == null ? null : LabelSelectorSpec.ofLabels(labels(selectorCsv)));
    }

    static LabelSelectorSpec selector(String csv) {
        return LabelSelectorSpec.ofLabels(labels(csv));
    }

    static GitTarget byName(String clusterName) {
        return new GitTarget(null, clusterName, null, null, null);
    }

    static GitTarget bySelector(String csv) {
        return new GitTarget(null, null, selector(csv), null, null);
    }

    static GitTarget byGroup(String group) {
        return new GitTarget(null, null, null, group, null);
    }

    static BundleTarget customization(String name, GitTarget criteria, BundleDeploymentOptions options) {
        return new BundleTarget(name, criteria.clusterName(), criteria.clusterSelector(), criteria.clusterGroup(),
                criteria.clusterGroupSelector(), false, null, null, options);
    }

    static BundleTarget doNotDeploy(String name, GitTarget criteria) {
        return new BundleTarget(name, criteria.clusterName(), criteria.clusterSelector(), criteria.clusterGroup(),
                criteria.clusterGroupSelector(), true, null, null, null);
    }

    static BundleDeploymentOptions values(Map<String, Object> values) {
        return BundleDeploymentOptions.builder().helm(HelmOptions.builder().values(values).build()).build();
    }

    /** A bundle made from a GitRepo with the given targets, fleet.yaml customizations and overrideTargets. */
    static BundleInfo gitBundle(String name, BundleDeploymentOptions options, List<BundleTarget> customizations,
            List<GitTarget> overrideTargets, List<GitTarget> gitRepoTargets, String mode) {
        BundleTargets built = BundleTargetsBuilder.build(options, false, customizations, overrideTargets,
                GitRepoSettings.of(gitRepoTargets));
        return new BundleInfo(NS, name, Map.of("flotilla.io/repo-name", "repo"), built.options(), built.targets(),
                built.targetRestrictions(), mode, MANIFEST);
    }

    static BundleInfo gitBundle(String name, List<BundleTarget> customizations, List<GitTarget> gitRepoTargets,
            String mode) {
        return gitBundle(name, null, customizations, null, gitRepoTargets, mode);
    }
}

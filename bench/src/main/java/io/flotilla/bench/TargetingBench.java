package io.flotilla.bench;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.LabelSelectorSpec;
import io.flotilla.manager.targeting.BdChanges;
import io.flotilla.manager.targeting.BundleInfo;
import io.flotilla.manager.targeting.BundleTargetsBuilder;
import io.flotilla.manager.targeting.BundleTargetsBuilder.GitRepoSettings;
import io.flotilla.manager.targeting.ClusterGroupInfo;
import io.flotilla.manager.targeting.ClusterInfo;
import io.flotilla.manager.targeting.TargetingIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Targeting at scale, on the incremental index the manager uses: 1,000 bundles × 10,000 clusters cold,
 * then one cluster relabelled and one bundle's targets changed (each repeated, percentiles reported).
 * Bundles mix the shapes users write: environment selectors with per-environment customizations, a
 * doNotDeploy customization, region groups, overrideTargets on a single cluster, and (one bundle in ten)
 * Helm values templated from cluster data.
 */
final class TargetingBench {
    private static final String NS = "fleet-default";
    private static final String[] ENVS = {"dev", "test", "prod"};
    private static final String[] REGIONS = {"eu", "us", "ap", "sa"};

    static Report run(String commit, int bundles, int clusters, int repeats) {
        Report report = new Report("targeting", commit);
        report.parameters().put("bundles", bundles).put("clusters", clusters).put("repeats", repeats);
        Random random = new Random(42);
        List<ClusterInfo> clusterInfos = new ArrayList<>();
        for (int i = 0; i < clusters; i++) {
            clusterInfos.add(cluster(i, ENVS[i % 3], REGIONS[i % 4], false));
        }
        List<ClusterGroupInfo> groups = new ArrayList<>();
        for (String region : REGIONS) {
            groups.add(new ClusterGroupInfo(NS, "region-" + region, Map.of("region", region),
                    LabelSelectorSpec.ofLabels(Map.of("region", region))));
        }
        List<BundleInfo> bundleInfos = new ArrayList<>();
        for (int b = 0; b < bundles; b++) {
            bundleInfos.add(bundle(b, 0, random, clusters));
        }

        TargetingIndex index = new TargetingIndex();
        System.gc();
        long start = System.nanoTime();
        groups.forEach(index::upsertGroup);
        clusterInfos.forEach(index::upsertCluster);
        long deployments = 0;
        for (BundleInfo b : bundleInfos) {
            BdChanges changes = index.upsertBundle(b);
            deployments += changes.created().size();
        }
        long coldNanos = System.nanoTime() - start;
        report.figure("cold_1000x10000", coldNanos / 1e9, 10, "s");
        report.info("deployments", deployments, "");
        report.raw().put("coldNanos", coldNanos);

        // One cluster relabelled: into prod (gains prod customizations), or legacy (doNotDeploy matches), and back.
        long[] relabel = new long[repeats];
        long changed = 0;
        for (int i = 0; i < repeats; i++) {
            int c = random.nextInt(clusters);
            boolean legacy = i % 2 == 0;
            ClusterInfo moved = cluster(c, legacy ? ENVS[c % 3] : "prod", REGIONS[(c + 1) % 4], legacy);
            long t = System.nanoTime();
            BdChanges ch = index.upsertCluster(moved);
            relabel[i] = System.nanoTime() - t;
            changed += ch.created().size() + ch.updated().size() + ch.deleted().size();
            index.upsertCluster(clusterInfos.get(c));
        }
        double[] relabelMs = Report.sortedMillis(relabel);
        report.figure("relabel_p50", Report.percentile(relabelMs, 50), 20, "ms");
        report.figure("relabel_p99", Report.percentile(relabelMs, 99), 20, "ms");
        report.info("relabel_max", relabelMs[relabelMs.length - 1], "ms");
        report.info("relabel_bd_changes_per_op", (double) changed / repeats, "");
        report.raw().set("relabelMillis", io.flotilla.manager.api.Json.MAPPER.valueToTree(relabelMs));

        // One bundle's targets changed (a new revision of its GitRepo targets).
        long[] retarget = new long[Math.max(1, repeats / 5)];
        for (int i = 0; i < retarget.length; i++) {
            int b = random.nextInt(bundles);
            BundleInfo changedBundle = bundle(b, i + 1, random, clusters);
            long t = System.nanoTime();
            index.upsertBundle(changedBundle);
            retarget[i] = System.nanoTime() - t;
        }
        double[] retargetMs = Report.sortedMillis(retarget);
        report.figure("bundle_targets_changed_p50", Report.percentile(retargetMs, 50), 200, "ms");
        report.figure("bundle_targets_changed_p99", Report.percentile(retargetMs, 99), 200, "ms");
        report.raw().set("bundleTargetsChangedMillis", io.flotilla.manager.api.Json.MAPPER.valueToTree(retargetMs));
        return report;
    }

    private static ClusterInfo cluster(int i, String env, String region, boolean legacy) {
        Map<String, String> labels = new HashMap<>();
        labels.put("env", env);
        labels.put("region", region);
        labels.put("tier", "t" + (i % 10));
        if (legacy) {
            labels.put("legacy", "true");
        }
        return new ClusterInfo(NS, "cluster-" + i, labels, Map.of(), Map.of("zone", "z" + (i % 7)));
    }

    /** Bundle {@code b}; {@code revision} varies its GitRepo targets so a change is a real retargeting. */
    private static BundleInfo bundle(int b, int revision, Random random, int clusters) {
        String env = ENVS[(b + revision) % 3];
        List<GitTarget> gitTargets = switch (b % 4) {
            case 0 -> List.of(new GitTarget("env", null, LabelSelectorSpec.ofLabels(Map.of("env", env)), null, null));
            case 1 -> List.of(new GitTarget("region", null, null, "region-" + REGIONS[(b + revision) % 4], null));
            case 2 -> List.of(new GitTarget("all", null, LabelSelectorSpec.everything(), null, null));
            default -> List.of(new GitTarget("tier", null, LabelSelectorSpec.ofLabels(Map.of("tier", "t" + ((b + revision) % 10))), null, null));
        };
        List<BundleTarget> customizations = new ArrayList<>();
        // One bundle in ten templates its Helm values from cluster data (a per-cluster render each).
        boolean templated = b % 10 == 0;
        for (String e : ENVS) {
            Map<String, Object> values = templated
                    ? Map.of("replicas", e.equals("prod") ? 3 : 1, "zone", "${ .ClusterValues.zone }",
                            "region", "global.fleet.clusterLabels.region")
                    : Map.of("replicas", e.equals("prod") ? 3 : 1);
            customizations.add(new BundleTarget(e, null, LabelSelectorSpec.ofLabels(Map.of("env", e)), null, null, false, null,
                    null, BundleDeploymentOptions.empty().toBuilder().helm(BundleDeploymentOptions.HelmOptions.empty().toBuilder()
                    .values(values).build()).build()));
        }
        customizations.add(new BundleTarget("skip-legacy", null, LabelSelectorSpec.ofLabels(Map.of("legacy", "true")), null,
                null, true, null, null, BundleDeploymentOptions.empty()));
        List<GitTarget> override = b % 50 == 49
                ? List.of(new GitTarget(null, "cluster-" + random.nextInt(clusters), null, null, null)) : null;
        var targets = BundleTargetsBuilder.build(BundleDeploymentOptions.empty().toBuilder().defaultNamespace("app-" + b).build(),
                false, customizations, override, GitRepoSettings.of(gitTargets));
        return new BundleInfo(NS, "bundle-" + b, Map.of("flotilla.io/repo-name", "repo-" + (b % 20)), targets.options(),
                targets.targets(), targets.targetRestrictions(), b % 2 == 0 ? BundleInfo.ALL_MATCHES : null,
                String.format("s-%061x", b));
    }
}

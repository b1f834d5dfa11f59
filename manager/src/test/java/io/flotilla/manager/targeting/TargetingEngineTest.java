package io.flotilla.manager.targeting;

import static io.flotilla.manager.targeting.Fixtures.NS;
import static io.flotilla.manager.targeting.Fixtures.byGroup;
import static io.flotilla.manager.targeting.Fixtures.byName;
import static io.flotilla.manager.targeting.Fixtures.bySelector;
import static io.flotilla.manager.targeting.Fixtures.cluster;
import static io.flotilla.manager.targeting.Fixtures.customization;
import static io.flotilla.manager.targeting.Fixtures.doNotDeploy;
import static io.flotilla.manager.targeting.Fixtures.gitBundle;
import static io.flotilla.manager.targeting.Fixtures.group;
import static io.flotilla.manager.targeting.Fixtures.selector;
import static io.flotilla.manager.targeting.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.LabelSelectorRequirement;
import io.flotilla.bundle.options.LabelSelectorSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TargetingEngineTest {

    /** c1 dev, c2 prod, c3 unlabelled, c4 dev with a Rancher display name. */
    static final List<ClusterInfo> CLUSTERS = List.of(
            cluster("c1", "env=dev"),
            cluster("c2", "env=prod"),
            cluster("c3", ""),
            cluster("c4", "env=dev,management.cattle.io/cluster-display-name=pretty"));

    /** "default" holds the dev clusters, "prod" the prod one; group objects carry their own tier label. */
    static final List<ClusterGroupInfo> GROUPS = List.of(
            group("default", "env=dev", "tier=gold"),
            group("prod", "env=prod", "tier=silver"));

    private static final GitTarget EMPTY_TARGET = new GitTarget("empty", null, null, null, null);
    private static final GitTarget GROUP_SELECTOR_ALL = new GitTarget(null, null, null, null,
            LabelSelectorSpec.everything());

    static Stream<Arguments> matching() {
        return Stream.of(
                Arguments.of("GitRepo without targets: clusterGroup default only",
                        gitBundle("b", List.of(), List.of(), null), "c1,c4"),
                Arguments.of("a target without criteria matches nothing",
                        gitBundle("b", List.of(), List.of(EMPTY_TARGET), null), ""),
                Arguments.of("clusterSelector {} matches every cluster",
                        gitBundle("b", List.of(), List.of(new GitTarget(null, null, LabelSelectorSpec.everything(),
                                null, null)), null), "c1,c2,c3,c4"),
                Arguments.of("clusterGroupSelector {} matches clusters in no group too",
                        gitBundle("b", List.of(), List.of(GROUP_SELECTOR_ALL), null), "c1,c2,c3,c4"),
                Arguments.of("clusterGroup never matches a cluster without groups",
                        gitBundle("b", List.of(), List.of(byGroup("prod")), null), "c2"),
                Arguments.of("clusterGroupSelector reads the group object's labels, not its selector",
                        gitBundle("b", List.of(), List.of(new GitTarget(null, null, null, null,
                                selector("tier=silver"))), null), "c2"),
                Arguments.of("clusterName matches the name",
                        gitBundle("b", List.of(), List.of(byName("c2")), null), "c2"),
                Arguments.of("clusterName matches the display-name label",
                        gitBundle("b", List.of(), List.of(byName("pretty")), null), "c4"),
                Arguments.of("all criteria of one target must hold",
                        gitBundle("b", List.of(), List.of(new GitTarget(null, "c1", selector("env=prod"), null,
                                null)), null), ""),
                Arguments.of("group criteria hold for the same group",
                        gitBundle("b", List.of(), List.of(new GitTarget(null, null, null, "default",
                                selector("tier=silver"))), null), ""),
                Arguments.of("matchExpressions NotIn matches clusters lacking the key",
                        gitBundle("b", List.of(), List.of(new GitTarget(null, null, new LabelSelectorSpec(null,
                                List.of(new LabelSelectorRequirement("env", "NotIn", List.of("prod")))), null,
                                null)), null), "c1,c3,c4"),
                Arguments.of("several GitRepo targets: union",
                        gitBundle("b", List.of(), List.of(byName("c2"), byName("c3")), null), "c2,c3"),
                Arguments.of("overrideTargets replace the GitRepo targets",
                        gitBundle("b", null, List.of(), List.of(byName("c1")), List.of(bySelector("env=dev"),
                                byName("c2")), null), "c1"),
                Arguments.of("overrideTargets: [] without customizations gives the default target",
                        gitBundle("b", null, List.of(), List.of(), List.of(byName("c2")), null), "c1,c4"),
                Arguments.of("overrideTargets: [] makes customizations plain targets (no restrictions)",
                        gitBundle("b", null, List.of(customization("only-c3", byName("c3"), null)), List.of(),
                                List.of(byName("c2")), null), "c3"),
                Arguments.of("customizations never add clusters",
                        gitBundle("b", List.of(customization("c3-custom", byName("c3"), null)),
                                List.of(byName("c1")), null), "c1"),
                Arguments.of("FirstMatch: a broader customization hides a later doNotDeploy",
                        gitBundle("b", List.of(customization("all-dev", bySelector("env=dev"), null),
                                doNotDeploy("skip-c1", byName("c1"))), List.of(bySelector("env=dev")), null),
                        "c1,c4"),
                Arguments.of("FirstMatch: a first matching doNotDeploy excludes",
                        gitBundle("b", List.of(doNotDeploy("skip-c1", byName("c1")),
                                customization("all-dev", bySelector("env=dev"), null)),
                                List.of(bySelector("env=dev")), null), "c4"),
                Arguments.of("AllMatches: any matching doNotDeploy excludes",
                        gitBundle("b", List.of(customization("all-dev", bySelector("env=dev"), null),
                                doNotDeploy("skip-c1", byName("c1"))), List.of(bySelector("env=dev")),
                                BundleInfo.ALL_MATCHES), "c4"),
                Arguments.of("doNotDeploy customization on a non-targeted cluster changes nothing",
                        gitBundle("b", List.of(doNotDeploy("skip-c2", byName("c2"))),
                                List.of(bySelector("env=dev")), null), "c1,c4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matching")
    void decidesWhichClustersGetADeployment(String rule, BundleInfo bundle, String expectedClusters) {
        TargetingResult result = TargetingEngine.evaluate(bundle, CLUSTERS, GROUPS);
        assertThat(result.failed()).as(String.valueOf(result.error())).isFalse();
        assertThat(names(result.deployments().keySet())).isEqualTo(expectedClusters);
        assertThat(result.deployments().size() + result.exclusions().size()).isEqualTo(CLUSTERS.size());
    }

    static Stream<Arguments> cliBundles() {
        BundleTarget skipAll = new BundleTarget("skip", null, LabelSelectorSpec.everything(), null, null, true,
                null, null, null);
        BundleTarget devTarget = new BundleTarget("dev", null, selector("env=dev"), null, null, false, null, null,
                null);
        return Stream.of(
                Arguments.of("no targets at all: the default target", List.of(), "c1,c4"),
                Arguments.of("first matching target wins and its doNotDeploy excludes",
                        List.of(skipAll, devTarget), ""),
                Arguments.of("a doNotDeploy target after the match is not consulted",
                        List.of(devTarget, skipAll), "c1,c4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cliBundles")
    void bundlesWithoutRestrictionsTreatAllTargetsAsTargets(String rule, List<BundleTarget> targets,
            String expected) {
        BundleTargetsBuilder.BundleTargets built = BundleTargetsBuilder.build(null, false, targets, null, null);
        BundleInfo bundle = new BundleInfo(NS, "cli", Map.of(), built.options(), built.targets(),
                built.targetRestrictions(), null, Fixtures.MANIFEST);
        assertThat(names(TargetingEngine.evaluate(bundle, CLUSTERS, GROUPS).deployments().keySet()))
                .isEqualTo(expected);
    }

    @Test
    void reportsWhyAClusterIsExcluded() {
        BundleInfo bundle = gitBundle("b", List.of(doNotDeploy("skip-c1", byName("c1"))),
                List.of(bySelector("env=dev")), null);
        TargetingResult result = TargetingEngine.evaluate(bundle, CLUSTERS, GROUPS);
        assertThat(result.exclusions()).containsEntry(new ClusterKey(NS, "c1"),
                new Exclusion.DoNotDeploy("skip-c1"));
        assertThat(result.exclusions()).containsEntry(new ClusterKey(NS, "c2"), Exclusion.NOT_MATCHED);
        assertThat(result.deployments().get(new ClusterKey(NS, "c4")).matchedCustomizations()).isEmpty();
    }

    @Test
    void firstMatchReplacesWithTheFirstCustomizationOnly() {
        BundleInfo bundle = gitBundle("b", values(Map.of("base", 1)), List.of(
                customization("dev", bySelector("env=dev"), values(Map.of("a", 1))),
                customization("c1", byName("c1"), values(Map.of("b", 2)))),
                null, List.of(bySelector("env=dev")), null);
        DesiredDeployment c1 = deploymentOn(bundle, "c1");
        assertThat(c1.options().helm().values()).isEqualTo(Map.of("base", 1, "a", 1));
        assertThat(c1.matchedCustomizations()).containsExactly("dev");
        assertThat(c1.matchedTarget()).isNull();
    }

    @Test
    void allMatchesFoldsEveryMatchingCustomizationInOrder() {
        BundleInfo bundle = gitBundle("b", values(Map.of("base", 1, "a", 0)), List.of(
                customization("dev", bySelector("env=dev"), values(Map.of("a", 1, "b", 1))),
                customization("c1", byName("c1"), values(Map.of("b", 2)))),
                null, List.of(new GitTarget("devs", null, selector("env=dev"), null, null)),
                BundleInfo.ALL_MATCHES);
        DesiredDeployment c1 = deploymentOn(bundle, "c1");
        assertThat(c1.options().helm().values()).isEqualTo(Map.of("base", 1, "a", 1, "b", 2));
        assertThat(c1.matchedCustomizations()).containsExactly("dev", "c1");
        assertThat(c1.matchedTarget()).isEqualTo("devs");
        assertThat(deploymentOn(bundle, "c4").options().helm().values()).isEqualTo(Map.of("base", 1, "a", 1,
                "b", 1));
    }

    @Test
    void buildsNameNamespaceAndLabelsOfTheDeployment() {
        BundleInfo bundle = new BundleInfo(NS, "repo-app", Map.of("flotilla.io/repo-name", "repo",
                "team", "a", "kubectl.kubernetes.io/last-applied", "x", "foo.cattle.io/y", "z",
                "flotilla.io/commit", "abc"), null, List.of(BundleTarget.of(bySelector("env=dev"))), List.of(),
                null, Fixtures.MANIFEST);
        DesiredDeployment d = deploymentOn(bundle, "c1");
        assertThat(d.bdName()).isEqualTo("repo-app");
        assertThat(d.bdNamespace()).isEqualTo(ClusterNamespaces.of(NS, "c1"));
        assertThat(Map.copyOf(d.labels())).isEqualTo(Map.of(
                "flotilla.io/repo-name", "repo", "team", "a", "flotilla.io/commit", "abc",
                "flotilla.io/bundle-name", "repo-app", "flotilla.io/bundle-namespace", NS,
                "flotilla.io/managed", "true", "flotilla.io/cluster-namespace", NS, "flotilla.io/cluster", "c1"));
        assertThat(d.labels()).isEqualTo(Map.copyOf(d.labels())).hasSameHashCodeAs(Map.copyOf(d.labels()));
    }

    @Test
    void namespaceLabelsOfAllTargetsReachEveryDeploymentButNotTheDeploymentId() {
        BundleTarget prodOnly = new BundleTarget("prod", "c2", null, null, null, false,
                Map.of("from", "prod", "shared", "prod"), Map.of("note", "p"), null);
        BundleTarget devOnly = new BundleTarget("dev", null, selector("env=dev"), null, null, false,
                Map.of("shared", "dev"), null, null);
        BundleDeploymentOptions bundleOpts = BundleDeploymentOptions.builder()
                .namespaceLabels(Map.of("bundle", "yes", "shared", "bundle")).build();
        BundleInfo with = gitBundle("b", bundleOpts, List.of(prodOnly, devOnly), null,
                List.of(bySelector("env=dev")), null);
        BundleInfo without = gitBundle("b", bundleOpts, List.of(), null, List.of(bySelector("env=dev")), null);
        DesiredDeployment c1 = deploymentOn(with, "c1");
        assertThat(c1.options().namespaceLabels()).isEqualTo(Map.of("bundle", "yes", "from", "prod",
                "shared", "dev"));
        assertThat(c1.options().namespaceAnnotations()).isEqualTo(Map.of("note", "p"));
        assertThat(c1.deploymentId()).isEqualTo(deploymentOn(without, "c1").deploymentId());
    }

    @Test
    void identicalOptionsShareTheDeploymentIdAndDifferentOnesDoNot() {
        BundleInfo bundle = gitBundle("b", List.of(customization("c1", byName("c1"),
                values(Map.of("x", 1)))), List.of(bySelector("env=dev")), null);
        TargetingResult result = TargetingEngine.evaluate(bundle, List.of(cluster("c1", "env=dev"),
                cluster("c5", "env=dev"), cluster("c6", "env=dev")), List.of());
        Map<String, String> ids = result.deployments().values().stream()
                .collect(Collectors.toMap(d -> d.clusterKey().name(), DesiredDeployment::deploymentId));
        assertThat(ids.get("c5")).isEqualTo(ids.get("c6")).startsWith(Fixtures.MANIFEST + ":");
        assertThat(ids.get("c1")).isNotEqualTo(ids.get("c5"));
    }

    @Test
    void onlyClustersOfTheBundleNamespaceAreCandidates() {
        BundleInfo bundle = gitBundle("b", List.of(), List.of(new GitTarget(null, null,
                LabelSelectorSpec.everything(), null, null)), null);
        TargetingResult result = TargetingEngine.evaluate(bundle, List.of(cluster("c1", ""),
                ClusterInfo.of("other", "c9", Map.of())), List.of());
        assertThat(names(result.deployments().keySet())).isEqualTo("c1");
        assertThat(result.exclusions()).isEmpty();
    }

    @Test
    void anInvalidSelectorFailsTheWholeBundle() {
        GitTarget bad = new GitTarget("broken", null, new LabelSelectorSpec(null, List.of(
                new LabelSelectorRequirement("env", "Equals", List.of("dev")))), null, null);
        TargetingResult result = TargetingEngine.evaluate(gitBundle("b", List.of(), List.of(byName("c1"), bad),
                null), CLUSTERS, GROUPS);
        assertThat(result.failed()).isTrue();
        assertThat(result.deployments()).isEmpty();
        assertThat(result.error().message()).contains("bundle fleet-default/b").contains("\"broken\"")
                .contains("\"Equals\" is not a valid label selector operator");
    }

    @Test
    void groupsWithNullOrInvalidSelectorsHaveNoMembers() {
        List<ClusterGroupInfo> groups = List.of(group("nil", null, ""),
                new ClusterGroupInfo(NS, "bad", Map.of(), selector("-x=y")),
                group("all", "", ""));
        BundleInfo bundle = gitBundle("b", List.of(), List.of(byGroup("nil"), byGroup("bad")), null);
        assertThat(TargetingEngine.evaluate(bundle, CLUSTERS, groups).deployments()).isEmpty();
        BundleInfo all = gitBundle("b", List.of(), List.of(byGroup("all")), null);
        assertThat(TargetingEngine.evaluate(all, CLUSTERS, groups).deployments()).hasSize(4);
    }

    @Test
    void gitRepoTargetNamespaceReachesEveryDeployment() {
        BundleTargetsBuilder.BundleTargets built = BundleTargetsBuilder.build(null, false,
                List.of(customization("c1", byName("c1"), values(Map.of("x", 1)))), null,
                new BundleTargetsBuilder.GitRepoSettings(List.of(bySelector("env=dev")), "apps", false, false,
                        false, null, null, 0));
        BundleInfo bundle = new BundleInfo(NS, "b", Map.of(), built.options(), built.targets(),
                built.targetRestrictions(), null, Fixtures.MANIFEST);
        assertThat(deploymentOn(bundle, "c1").options().namespace()).isEqualTo("apps");
        assertThat(deploymentOn(bundle, "c4").options().namespace()).isEqualTo("apps");
    }

    /** Issue 13: unnamed targets (valid, §2.5) crashed targeting with a NullPointerException in the merge. */
    @Test
    void unnamedTargetsAndCustomizationsAreNamedByTheirIndex() {
        BundleTarget unnamedCustomization = customization(null, byGroup("default"), values(Map.of("replicas", "1")));
        BundleTarget unnamedTarget = BundleTarget.of(byGroup("prod"));
        BundleTarget unnamedDoNotDeploy = doNotDeploy(null, byName("c4"));
        BundleInfo bundle = new BundleInfo(NS, "b", Map.of(), null,
                List.of(unnamedDoNotDeploy, unnamedCustomization, unnamedTarget, BundleTarget.of(byGroup("default"))),
                List.of(byGroup("prod"), byGroup("default")), null, Fixtures.MANIFEST);
        TargetingResult result = TargetingEngine.evaluate(bundle, CLUSTERS, GROUPS);
        assertThat(result.failed()).as(String.valueOf(result.error())).isFalse();
        DesiredDeployment c1 = result.deployments().get(new ClusterKey(NS, "c1"));
        assertThat(c1.matchedTarget()).isNull();
        assertThat(c1.matchedCustomizations()).containsExactly("targets[1]");
        assertThat(c1.options().helm().values()).isEqualTo(Map.of("replicas", "1"));
        assertThat(result.deployments().get(new ClusterKey(NS, "c2")).matchedCustomizations()).isEmpty();
        assertThat(result.exclusions().get(new ClusterKey(NS, "c4")))
                .isEqualTo(new Exclusion.DoNotDeploy("targets[0]"));
    }

    static DesiredDeployment deploymentOn(BundleInfo bundle, String cluster) {
        TargetingResult result = TargetingEngine.evaluate(bundle, CLUSTERS, GROUPS);
        assertThat(result.failed()).as(String.valueOf(result.error())).isFalse();
        return result.deployments().get(new ClusterKey(NS, cluster));
    }

    static String names(Set<ClusterKey> keys) {
        return keys.stream().map(ClusterKey::name).collect(Collectors.toCollection(TreeSet::new)).stream()
                .collect(Collectors.joining(","));
    }
}

package io.flotilla.manager.targeting;

import static io.flotilla.manager.targeting.Fixtures.NS;
import static io.flotilla.manager.targeting.Fixtures.byName;
import static io.flotilla.manager.targeting.Fixtures.bySelector;
import static io.flotilla.manager.targeting.Fixtures.byGroup;
import static io.flotilla.manager.targeting.Fixtures.cluster;
import static io.flotilla.manager.targeting.Fixtures.customization;
import static io.flotilla.manager.targeting.Fixtures.doNotDeploy;
import static io.flotilla.manager.targeting.Fixtures.gitBundle;
import static io.flotilla.manager.targeting.Fixtures.group;
import static io.flotilla.manager.targeting.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.LabelSelectorRequirement;
import io.flotilla.bundle.options.LabelSelectorSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TargetingIndexTest {

    private static final List<GitTarget> DEV_TARGETS = List.of(bySelector("env=dev"));

    private TargetingIndex index;

    @BeforeEach
    void threeDevClusters() {
        index = new TargetingIndex();
        for (String name : List.of("c1", "c2", "c3")) {
            assertThat(index.upsertCluster(cluster(name, "env=dev")).isEmpty()).isTrue();
        }
    }

    @Test
    void overrideTargetsGiveExactlyOneDeployment() {
        BdChanges changes = index.upsertBundle(gitBundle("app", null, List.of(), List.of(byName("c1")),
                DEV_TARGETS, null));
        assertThat(clusters(changes.created())).isEqualTo("c1");
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void addingADoNotDeployCustomizationDeletesThatDeployment() {
        index.upsertBundle(gitBundle("app", List.of(), DEV_TARGETS, null));
        BdChanges changes = index.upsertBundle(gitBundle("app", List.of(doNotDeploy("skip", byName("c2"))),
                DEV_TARGETS, null));
        assertThat(clusters(changes.deleted())).isEqualTo("c2");
        assertThat(changes.created()).isEmpty();
        assertThat(changes.updated()).isEmpty();
        assertThat(clusters(index.allDesired())).isEqualTo("c1,c3");
    }

    static Stream<Arguments> relabelIntoDoNotDeploy() {
        return Stream.of(
                Arguments.of("AllMatches, doNotDeploy listed second", BundleInfo.ALL_MATCHES, false, true),
                Arguments.of("AllMatches, doNotDeploy listed first", BundleInfo.ALL_MATCHES, true, true),
                Arguments.of("FirstMatch, doNotDeploy listed second (shadowed)", null, false, false),
                Arguments.of("FirstMatch, doNotDeploy listed first", null, true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("relabelIntoDoNotDeploy")
    void relabellingIntoADoNotDeployCustomization(String rule, String mode, boolean doNotDeployFirst,
            boolean deleted) {
        BundleTarget broad = customization("all-dev", bySelector("env=dev"), values(Map.of("a", 1)));
        BundleTarget skip = doNotDeploy("skip-legacy", bySelector("legacy=true"));
        index.upsertBundle(gitBundle("app", doNotDeployFirst ? List.of(skip, broad) : List.of(broad, skip),
                DEV_TARGETS, mode));
        BdChanges changes = index.upsertCluster(cluster("c2", "env=dev,legacy=true"));
        assertThat(clusters(changes.deleted())).isEqualTo(deleted ? "c2" : "");
        assertThat(index.desiredOnCluster(new ClusterKey(NS, "c2"))).hasSize(deleted ? 0 : 1);
    }

    @Test
    void relabelledOutOfTargetsAndBackKeepsTheDeploymentId() {
        index.upsertBundle(gitBundle("app", List.of(), DEV_TARGETS, null));
        String id = index.desiredOnCluster(new ClusterKey(NS, "c2")).get(0).deploymentId();
        BdChanges out = index.upsertCluster(cluster("c2", "env=prod"));
        assertThat(clusters(out.deleted())).isEqualTo("c2");
        BdChanges back = index.upsertCluster(cluster("c2", "env=dev"));
        assertThat(clusters(back.created())).isEqualTo("c2");
        assertThat(back.created().get(0).deploymentId()).isEqualTo(id);
    }

    @Test
    void anUnchangedUpsertChangesNothing() {
        BundleInfo bundle = gitBundle("app", List.of(), DEV_TARGETS, null);
        index.upsertBundle(bundle);
        assertThat(index.upsertBundle(bundle).isEmpty()).isTrue();
        assertThat(index.upsertCluster(cluster("c1", "env=dev")).isEmpty()).isTrue();
    }

    @Test
    void changedOptionsUpdateTheDeployment() {
        index.upsertBundle(gitBundle("app", List.of(customization("c1", byName("c1"), values(Map.of("x", 1)))),
                DEV_TARGETS, null));
        BdChanges changes = index.upsertBundle(gitBundle("app", List.of(customization("c1", byName("c1"),
                values(Map.of("x", 2)))), DEV_TARGETS, null));
        assertThat(clusters(changes.updated())).isEqualTo("c1");
        assertThat(changes.updated().get(0).options().helm().values()).isEqualTo(Map.of("x", 2));
    }

    @Test
    void clusterLabelChangesWithoutEffectChangeNothing() {
        index.upsertBundle(gitBundle("app", List.of(), DEV_TARGETS, null));
        BdChanges changes = index.upsertCluster(cluster("c1", "env=dev,unrelated=x"));
        assertThat(changes.isEmpty()).isTrue();
    }

    @Test
    void groupChangesReevaluateOldAndNewMembers() {
        index.upsertBundle(gitBundle("app", List.of(), List.of(byGroup("blue")), null));
        index.upsertCluster(cluster("c4", "env=prod"));
        BdChanges first = index.upsertGroup(group("blue", "env=dev", ""));
        assertThat(clusters(first.created())).isEqualTo("c1,c2,c3");
        BdChanges moved = index.upsertGroup(group("blue", "env=prod", ""));
        assertThat(clusters(moved.deleted())).isEqualTo("c1,c2,c3");
        assertThat(clusters(moved.created())).isEqualTo("c4");
        BdChanges removed = index.removeGroup(NS, "blue");
        assertThat(clusters(removed.deleted())).isEqualTo("c4");
    }

    @Test
    void groupLabelChangesReachClusterGroupSelectors() {
        index.upsertBundle(gitBundle("app", List.of(), List.of(new GitTarget(null, null, null, null,
                Fixtures.selector("tier=gold"))), null));
        index.upsertGroup(group("g", "env=dev", "tier=silver"));
        assertThat(index.size()).isZero();
        BdChanges changes = index.upsertGroup(group("g", "env=dev", "tier=gold"));
        assertThat(clusters(changes.created())).isEqualTo("c1,c2,c3");
    }

    @Test
    void removingAClusterOrBundleDeletesItsDeployments() {
        index.upsertBundle(gitBundle("app", List.of(), DEV_TARGETS, null));
        index.upsertBundle(gitBundle("web", List.of(), DEV_TARGETS, null));
        assertThat(index.removeCluster(new ClusterKey(NS, "c1")).deleted()).hasSize(2);
        BdChanges removed = index.removeBundle(new BundleKey(NS, "app"));
        assertThat(clusters(removed.deleted())).isEqualTo("c2,c3");
        assertThat(index.desired(new BundleKey(NS, "web"))).hasSize(2);
        assertThat(index.removeBundle(new BundleKey(NS, "app")).isEmpty()).isTrue();
    }

    @Test
    void anInvalidSelectorKeepsThePreviousDeployments() {
        index.upsertBundle(gitBundle("app", List.of(), DEV_TARGETS, null));
        GitTarget broken = new GitTarget("broken", null, new LabelSelectorSpec(null,
                List.of(new LabelSelectorRequirement("env", "In", List.of()))), null, null);
        BdChanges failed = index.upsertBundle(gitBundle("app", List.of(), List.of(broken), null));
        assertThat(failed.deleted()).isEmpty();
        assertThat(failed.errors()).singleElement().satisfies(e -> {
            assertThat(e.bundle()).isEqualTo(new BundleKey(NS, "app"));
            assertThat(e.message()).contains("operator In requires one or more values");
        });
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.upsertCluster(cluster("c1", "env=prod")).errors()).hasSize(1);
        assertThat(index.size()).isEqualTo(3);
        BdChanges fixed = index.upsertBundle(gitBundle("app", List.of(), List.of(byName("c2")), null));
        assertThat(clusters(fixed.deleted())).isEqualTo("c1,c3");
        assertThat(fixed.errors()).isEmpty();
    }

    @Test
    void aTemplateErrorOnOneClusterHoldsTheBundleUntilItIsFixed() {
        BundleDeploymentOptions templated = BundleDeploymentOptions.builder().helm(HelmOptions.builder()
                .values(Map.of("zone", "${ .ClusterLabels.zone }")).build()).build();
        for (String name : List.of("c1", "c2", "c3")) {
            index.upsertCluster(cluster(name, "env=dev,zone=" + name));
        }
        index.upsertBundle(gitBundle("app", templated, List.of(), null, DEV_TARGETS, null));
        assertThat(index.size()).isEqualTo(3);

        BdChanges broken = index.upsertCluster(cluster("c2", "env=dev"));
        assertThat(broken.errors()).singleElement().extracting(TargetingError::message).asString()
                .startsWith("targeting error: cluster c2 in namespace fleet-default: ")
                .contains("map has no entry for key \"zone\"");
        assertThat(broken.updated()).isEmpty();

        BdChanges heldBack = index.upsertCluster(cluster("c3", "env=prod,zone=c3"));
        assertThat(heldBack.deleted()).isEmpty();
        assertThat(heldBack.errors()).hasSize(1);
        assertThat(index.size()).isEqualTo(3);

        BdChanges fixed = index.upsertCluster(cluster("c2", "env=dev,zone=z2"));
        assertThat(fixed.errors()).isEmpty();
        assertThat(clusters(fixed.deleted())).isEqualTo("c3");
        assertThat(clusters(fixed.updated())).isEqualTo("c2");
        assertThat(fixed.updated().get(0).options().helm().values()).isEqualTo(Map.of("zone", "z2"));
    }

    @Test
    void removingTheFailingClusterReleasesTheBundle() {
        BundleDeploymentOptions templated = BundleDeploymentOptions.builder().helm(HelmOptions.builder()
                .values(Map.of("zone", "${ .ClusterLabels.zone }")).build()).build();
        index.upsertCluster(cluster("c1", "env=dev,zone=a"));
        index.upsertCluster(cluster("c2", "env=dev,zone=b"));
        index.upsertCluster(cluster("c3", "env=dev,zone=c"));
        index.upsertBundle(gitBundle("app", templated, List.of(), null, DEV_TARGETS, null));
        index.upsertCluster(cluster("c2", "env=dev"));
        index.upsertCluster(cluster("c4", "env=dev,zone=d"));
        assertThat(index.size()).isEqualTo(3);
        BdChanges changes = index.removeCluster(new ClusterKey(NS, "c2"));
        assertThat(clusters(changes.deleted())).isEqualTo("c2");
        assertThat(clusters(changes.created())).isEqualTo("c4");
    }

    @Test
    void namespacesAreSeparate() {
        index.upsertBundle(gitBundle("app", List.of(), DEV_TARGETS, null));
        BdChanges other = index.upsertCluster(ClusterInfo.of("other", "c1", Map.of("env", "dev")));
        assertThat(other.isEmpty()).isTrue();
        assertThat(index.size()).isEqualTo(3);
    }

    static String clusters(List<DesiredDeployment> deployments) {
        return deployments.stream().map(d -> d.clusterKey().name()).collect(Collectors.toCollection(TreeSet::new))
                .stream().collect(Collectors.joining(","));
    }
}

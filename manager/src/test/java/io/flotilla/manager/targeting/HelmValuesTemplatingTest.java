package io.flotilla.manager.targeting;

import static io.flotilla.manager.targeting.Fixtures.NS;
import static io.flotilla.manager.targeting.Fixtures.bySelector;
import static io.flotilla.manager.targeting.Fixtures.labels;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.LabelSelectorSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Helm value pre-processing per cluster (§3.8) and what it does to deploymentIDs (§9 item 8). */
class HelmValuesTemplatingTest {

    private static final ClusterInfo DEV = new ClusterInfo(NS, "c1",
            labels("env=dev,replicas=3,kubectl.kubernetes.io/x=hidden,foo.cattle.io/y=hidden,"
                    + "management.cattle.io/cluster-display-name=pretty,flotilla.io/tier=gold"),
            Map.of("owner", "team-a", "field.cattle.io/projectId", "hidden"),
            Map.of("region", "eu", "size", 5));

    static Stream<Arguments> renderedValues() {
        return Stream.of(
                Arguments.of("template in a value", Map.of("env", "${ .ClusterLabels.env }"), Map.of("env", "dev")),
                Arguments.of("rendered number becomes a number",
                        Map.of("replicas", "${ .ClusterLabels.replicas }"), Map.of("replicas", 3)),
                Arguments.of("cluster name and namespace",
                        Map.of("id", "${ .ClusterNamespace }/${ .ClusterName }"), Map.of("id", NS + "/c1")),
                Arguments.of("cluster values", Map.of("r", "${ .ClusterValues.region }-${ .ClusterValues.size }"),
                        Map.of("r", "eu-5")),
                Arguments.of("annotations are filtered",
                        Map.of("o", "${ .ClusterAnnotations.owner } ${ len .ClusterAnnotations }"),
                        Map.of("o", "team-a 1")),
                Arguments.of("system labels hidden, own prefix and management kept",
                        Map.of("n", "${ len .ClusterLabels }",
                                "t", "${ index .ClusterLabels \"flotilla.io/tier\" }",
                                "d", "${ index .ClusterLabels \"management.cattle.io/cluster-display-name\" }"),
                        Map.of("n", 4, "t", "gold", "d", "pretty")),
                Arguments.of("global.fleet.clusterLabels substitution",
                        Map.of("a", "global.fleet.clusterLabels.env", "b", "global.fleet.clusterLabels.nope"),
                        Map.of("a", "dev", "b", "")),
                Arguments.of("substitution inside maps in lists, not plain list strings",
                        Map.of("l", List.of(Map.of("k", "global.fleet.clusterLabels.env"),
                                "global.fleet.clusterLabels.env")),
                        Map.of("l", List.of(Map.of("k", "dev"), "global.fleet.clusterLabels.env"))),
                Arguments.of("nested maps are rendered", Map.of("outer", Map.of("inner", "${ .ClusterName }")),
                        Map.of("outer", Map.of("inner", "c1"))),
                Arguments.of("a template producing YAML structure",
                        Map.of("obj", "${ .ClusterValues | toJson }"),
                        Map.of("obj", Map.of("region", "eu", "size", 5))),
                Arguments.of("a long template is not folded by the YAML writer",
                        Map.of("long", "${ printf \"%s-%s-%s\" .ClusterName .ClusterLabels.env"
                                + " \"a-long-literal-that-pushes-this-line-well-beyond-eighty-characters\" }"),
                        Map.of("long", "c1-dev-a-long-literal-that-pushes-this-line-well-beyond-eighty-characters")),
                Arguments.of("values without templates are unchanged", Map.of("plain", "x", "n", 1.5),
                        Map.of("plain", "x", "n", 1.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderedValues")
    void rendersValuesWithClusterData(String rule, Map<String, Object> values, Map<String, Object> expected) {
        assertThat(deploy(helm(values, null, null), DEV).options().helm().values()).isEqualTo(expected);
    }

    @Test
    void templateValuesAreRenderedParsedAndSetAtTopLevel() {
        Map<String, String> templateValues = new LinkedHashMap<>();
        templateValues.put("replicas", "${ .ClusterLabels.replicas }");
        templateValues.put("keep", "${ .ClusterName }");
        DesiredDeployment d = deploy(helm(Map.of("replicas", 1, "keep", "old", "other", "x"), templateValues, null),
                DEV);
        assertThat(d.options().helm().values()).isEqualTo(Map.of("replicas", 3, "keep", "c1", "other", "x"));
    }

    @Test
    void disablePreProcessSkipsRenderingButNotLabelSubstitution() {
        DesiredDeployment d = deploy(helm(Map.of("t", "${ .ClusterName }", "s", "global.fleet.clusterLabels.env"),
                Map.of("x", "${ .ClusterName }"), true), DEV);
        assertThat(d.options().helm().values()).isEqualTo(Map.of("t", "${ .ClusterName }", "s", "dev"));
    }

    @Test
    void aLabelLessClusterIsNotProcessed() {
        ClusterInfo bare = new ClusterInfo(NS, "c1", Map.of("kubectl.kubernetes.io/only", "system"), Map.of(),
                Map.of());
        DesiredDeployment d = deploy(helm(Map.of("t", "${ .ClusterLabels.missing }"), null, null), bare,
                LabelSelectorSpec.everything());
        assertThat(d.options().helm().values()).isEqualTo(Map.of("t", "${ .ClusterLabels.missing }"));
    }

    @Test
    void theFirstLabelInjectsAnEmptyHelmBlockAndChangesTheDeploymentId() {
        BundleDeploymentOptions noHelm = BundleDeploymentOptions.empty();
        DesiredDeployment bare = deploy(noHelm, ClusterInfo.of(NS, "c1", Map.of()), LabelSelectorSpec.everything());
        DesiredDeployment labelled = deploy(noHelm, ClusterInfo.of(NS, "c1", Map.of("env", "dev")),
                LabelSelectorSpec.everything());
        assertThat(bare.options().helm()).isNull();
        assertThat(labelled.options().helm()).isEqualTo(HelmOptions.empty());
        assertThat(labelled.deploymentId()).isNotEqualTo(bare.deploymentId());
    }

    @Test
    void templatedValuesGiveEachClusterItsOwnDeploymentId() {
        BundleDeploymentOptions opts = helm(Map.of("env", "${ .ClusterLabels.env }"), null, null);
        DesiredDeployment dev = deploy(opts, ClusterInfo.of(NS, "c1", Map.of("env", "dev")),
                LabelSelectorSpec.everything());
        DesiredDeployment prod = deploy(opts, ClusterInfo.of(NS, "c1", Map.of("env", "prod")),
                LabelSelectorSpec.everything());
        assertThat(dev.deploymentId()).isNotEqualTo(prod.deploymentId());
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(Map.of("v", "${ .ClusterLabels.zone }"), "map has no entry for key \"zone\""),
                Arguments.of(Map.of("v", "${ nosuchfunc 1 }"), "function \"nosuchfunc\" not defined"),
                Arguments.of(Map.of("v", "${ required \"zone label missing\" \"\" }"), "zone label missing"),
                Arguments.of(Map.of("v", "${ print \"[unclosed\" }"), "cannot parse YAML"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void templateErrorsFailTheBundleNamingTheCluster(Map<String, Object> values, String message) {
        BundleInfo bundle = bundle(helm(values, null, null), selectorAll());
        TargetingResult result = TargetingEngine.evaluate(bundle, List.of(DEV), List.of());
        assertThat(result.failed()).isTrue();
        assertThat(result.error().message()).startsWith("targeting error: cluster c1 in namespace " + NS + ": ")
                .contains(message);
    }

    private static LabelSelectorSpec selectorAll() {
        return LabelSelectorSpec.everything();
    }

    private static BundleDeploymentOptions helm(Map<String, Object> values, Map<String, String> templateValues,
            Boolean disablePreProcess) {
        return BundleDeploymentOptions.builder().helm(HelmOptions.builder().values(values)
                .templateValues(templateValues).disablePreProcess(disablePreProcess).build()).build();
    }

    private static BundleInfo bundle(BundleDeploymentOptions opts, LabelSelectorSpec target) {
        return Fixtures.gitBundle("b", opts, List.of(), null,
                List.of(new io.flotilla.bundle.options.GitTarget(null, null, target, null, null)), null);
    }

    private static DesiredDeployment deploy(BundleDeploymentOptions opts, ClusterInfo cluster) {
        return deploy(opts, cluster, bySelector("env=dev").clusterSelector());
    }

    private static DesiredDeployment deploy(BundleDeploymentOptions opts, ClusterInfo cluster,
            LabelSelectorSpec target) {
        TargetingResult result = TargetingEngine.evaluate(bundle(opts, target), List.of(cluster), List.of());
        assertThat(result.failed()).as(String.valueOf(result.error())).isFalse();
        assertThat(result.deployments()).hasSize(1);
        return result.deployments().values().iterator().next();
    }

}

package io.flotilla.bundle.options;

import static io.flotilla.bundle.options.OptionsMergeTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.bundle.options.BundleDeploymentOptions.ComparePatch;
import io.flotilla.bundle.options.BundleDeploymentOptions.CorrectDrift;
import io.flotilla.bundle.options.BundleDeploymentOptions.DiffOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.DownstreamResource;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.IgnoreOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.KustomizeOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.YamlOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentIdsTest {

    private static final String MANIFEST = "s-0123456789abcdef0123456789abcdef0123456789abcdef0123456789a";

    private static final BundleDeploymentOptions BASE = BundleDeploymentOptions.builder()
            .defaultNamespace("apps")
            .helm(HelmOptions.builder().chart("nginx").values(map("replicas", 2, "image", map("tag", "1.0"))).build())
            .diff(new DiffOptions(List.of(new ComparePatch("apps/v1", "Deployment", "web", "apps",
                    List.of("/spec/replicas"), null))))
            .correctDrift(new CorrectDrift(true, false, false))
            .build();

    @Test
    void manifestIdIsPrefixedTruncatedSha256OfGoStyleManifestJson() {
        // Go encodes the manifest with <, > and & escaped and the empty encoding omitted, plus a newline
        String id = DeploymentIds.manifestId(List.of(BundleResource.plain("cm.yaml", "a: <b> &\n")));

        assertThat(id).isEqualTo("s-a71e699170d6540b156283910863afa163f679811efe64eb1fc32ca435219");
        assertThat(id).hasSize(63).matches("s-[0-9a-f]{61}");
    }

    @Test
    void manifestIdOfNoResourcesHashesEmptyObject() {
        assertThat(DeploymentIds.manifestId(List.of()))
                .isEqualTo("s-ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442");
    }

    @Test
    void manifestIdDependsOnContentNameAndEncodingAndOrder() {
        BundleResource a = BundleResource.plain("a.yaml", "x: 1");
        BundleResource b = BundleResource.plain("b.yaml", "y: 2");
        String id = DeploymentIds.manifestId(List.of(a, b));

        assertThat(DeploymentIds.manifestId(List.of(a, b))).isEqualTo(id);
        assertThat(DeploymentIds.manifestId(List.of(b, a))).isNotEqualTo(id);
        assertThat(DeploymentIds.manifestId(List.of(a, BundleResource.plain("b.yaml", "y: 3")))).isNotEqualTo(id);
        assertThat(DeploymentIds.manifestId(List.of(a, new BundleResource("b.yaml", "y: 2", "base64+gz"))))
                .isNotEqualTo(id);
    }

    @Test
    void deploymentIdIsManifestIdColonSha256OfCanonicalOptions() {
        BundleDeploymentOptions opts = BundleDeploymentOptions.builder().defaultNamespace("ns")
                .helm(HelmOptions.builder().values(map("b", 1, "a", "x<", "c", map("z", null, "y",
                        List.of(1.5, 1e21, "z")))).build())
                .build();

        assertThat(DeploymentIds.canonicalJson(opts)).isEqualTo(
                "{\"defaultNamespace\":\"ns\",\"helm\":{\"values\":{\"a\":\"x\\u003c\",\"b\":1,"
                        + "\"c\":{\"y\":[1.5,1e+21,\"z\"],\"z\":null}}}}");
        assertThat(DeploymentIds.deploymentId(MANIFEST, opts))
                .isEqualTo(MANIFEST + ":6f8b0f1fb55ba4e65ae01d1bcd3ca41ec1b27b9abc65ffe3cab1312af1a4d41c");
    }

    @Test
    void canonicalJsonWritesFieldsInFleetOrder() {
        BundleDeploymentOptions all = BundleDeploymentOptions.builder()
                .allowedTargetNamespaceSelector(LabelSelectorSpec.ofLabels(Map.of("a", "b")))
                .overwrites(List.of(Map.of("k", "v")))
                .downstreamResources(List.of(new DownstreamResource("Secret", "s")))
                .deleteCRDResources(true)
                .namespaceAnnotations(Map.of("a", "1"))
                .namespaceLabels(Map.of("l", "1"))
                .correctDrift(new CorrectDrift(true, false, false))
                .ignore(new IgnoreOptions(List.of(Map.of("type", "Ready"))))
                .deleteNamespace(true)
                .keepResources(true)
                .diff(new DiffOptions(List.of()))
                .forceSyncGeneration(3)
                .createNamespace(false)
                .serviceAccount("sa")
                .helm(HelmOptions.empty())
                .namespace("tn")
                .defaultNamespace("dn")
                .kustomize(new KustomizeOptions("k"))
                .yaml(new YamlOptions(List.of("o")))
                .build();

        assertThat(topLevelKeys(DeploymentIds.canonicalJson(all))).containsExactly("yaml", "kustomize",
                "defaultNamespace", "namespace", "helm", "serviceAccount", "createNamespace", "forceSyncGeneration",
                "diff", "keepResources", "deleteNamespace", "ignore", "correctDrift", "namespaceLabels",
                "namespaceAnnotations", "deleteCRDResources", "downstreamResources", "overwrites",
                "allowedTargetNamespaceSelector");
    }

    @Test
    void canonicalJsonOmitsEmptyValuesLikeGoOmitempty() {
        BundleDeploymentOptions opts = BundleDeploymentOptions.builder().defaultNamespace("").namespace(null)
                .yaml(new YamlOptions(List.of())).forceSyncGeneration(0).deleteNamespace(false)
                .helm(HelmOptions.builder().timeoutSeconds(0).chart("").build())
                .createNamespace(false)
                .build();

        assertThat(DeploymentIds.canonicalJson(opts)).isEqualTo("{\"yaml\":{},\"helm\":{},\"createNamespace\":false}");
        assertThat(DeploymentIds.canonicalJson(BundleDeploymentOptions.empty())).isEqualTo("{}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idPreservingChanges")
    void diffAndCorrectDriftOnlyChangesKeepTheId(String change, UnaryOperator<BundleDeploymentOptions.Builder> edit) {
        assertThat(DeploymentIds.deploymentId(MANIFEST, edit.apply(BASE.toBuilder()).build()))
                .isEqualTo(DeploymentIds.deploymentId(MANIFEST, BASE));
    }

    static Stream<Arguments> idPreservingChanges() {
        return Stream.of(
                Arguments.of("diff removed", op(b -> b.diff(null))),
                Arguments.of("diff changed", op(b -> b.diff(new DiffOptions(List.of(new ComparePatch("v1", "Service",
                        "s", "apps", List.of("/spec"), null)))))),
                Arguments.of("correctDrift removed", op(b -> b.correctDrift(null))),
                Arguments.of("correctDrift changed", op(b -> b.correctDrift(new CorrectDrift(true, true, true)))),
                Arguments.of("explicit keepResources false equals unset", op(b -> b.keepResources(false))),
                Arguments.of("explicit helm force false equals unset",
                        op(b -> b.helm(BASE.helm().toBuilder().force(false).build()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idChangingChanges")
    void deployedOptionChangesGiveANewId(String change, UnaryOperator<BundleDeploymentOptions.Builder> edit) {
        assertThat(DeploymentIds.deploymentId(MANIFEST, edit.apply(BASE.toBuilder()).build()))
                .isNotEqualTo(DeploymentIds.deploymentId(MANIFEST, BASE));
    }

    static Stream<Arguments> idChangingChanges() {
        return Stream.of(
                Arguments.of("helm value", op(b -> b.helm(BASE.helm().toBuilder()
                        .values(map("replicas", 3, "image", map("tag", "1.0"))).build()))),
                Arguments.of("forceSyncGeneration", op(b -> b.forceSyncGeneration(1))),
                Arguments.of("keepResources true", op(b -> b.keepResources(true))),
                Arguments.of("createNamespace false is not unset", op(b -> b.createNamespace(false))),
                Arguments.of("namespace", op(b -> b.namespace("other"))),
                Arguments.of("helm {} injected", op(b -> b.helm(null))));
    }

    @Test
    void deploymentIdIgnoresMapKeyOrderAtEveryDepth() {
        Map<String, Object> forward = map("a", 1, "b", map("x", 1, "y", List.of(map("p", 1, "q", 2))), "c", "v");
        Map<String, Object> backward = map("c", "v", "b", map("y", List.of(map("q", 2, "p", 1)), "x", 1), "a", 1);
        BundleDeploymentOptions one = BundleDeploymentOptions.builder()
                .helm(HelmOptions.builder().values(forward).templateValues(Map.of("k1", "1", "k2", "2")).build())
                .namespaceLabels(Map.of("l1", "a", "l2", "b")).build();
        BundleDeploymentOptions two = BundleDeploymentOptions.builder()
                .helm(HelmOptions.builder().values(backward).templateValues(Map.of("k2", "2", "k1", "1")).build())
                .namespaceLabels(Map.of("l2", "b", "l1", "a")).build();

        assertThat(DeploymentIds.canonicalJson(one)).isEqualTo(DeploymentIds.canonicalJson(two));
        assertThat(DeploymentIds.deploymentId(MANIFEST, one)).isEqualTo(DeploymentIds.deploymentId(MANIFEST, two));
    }

    @Test
    void deploymentIdIsAPureFunctionOfItsInputs() {
        BundleDeploymentOptions copy = BASE.toBuilder()
                .helm(BASE.helm().toBuilder().values(new HashMap<>(BASE.helm().values())).build())
                .build();
        assertThat(DeploymentIds.deploymentId(MANIFEST, copy)).isEqualTo(DeploymentIds.deploymentId(MANIFEST, BASE))
                .startsWith(MANIFEST + ":").matches(".*:[0-9a-f]{64}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1.0        | 1",
            "0.5        | 0.5",
            "-2.25      | -2.25",
            "1e21       | 1e+21",
            "1.5e-7     | 1.5e-07",
            "123456789.0| 123456789",
            "0.000001   | 0.000001"})
    void floatsAreWrittenLikeGo(double value, String expected) {
        assertThat(DeploymentIds.canonicalJson(List.of(value))).isEqualTo("[" + expected + "]");
    }

    @Test
    void stringsAreEscapedLikeGo() {
        assertThat(DeploymentIds.canonicalJson(List.of("<a&b>\u2028\u0001\t\"\\")))
                .isEqualTo("[\"\\u003ca\\u0026b\\u003e\\u2028\\u0001\\t\\\"\\\\\"]");
    }

    private static UnaryOperator<BundleDeploymentOptions.Builder> op(UnaryOperator<BundleDeploymentOptions.Builder> f) {
        return f;
    }

    private static List<String> topLevelKeys(String json) {
        List<String> keys = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        int keyStart = -1;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 1 && keyStart >= 0 && json.charAt(i + 1) == ':') {
                        keys.add(json.substring(keyStart, i));
                    }
                    keyStart = -1;
                }
            } else if (c == '"') {
                inString = true;
                keyStart = i + 1;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return keys;
    }
}

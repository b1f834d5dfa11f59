package io.flotilla.bundle.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.bundle.options.BundleDeploymentOptions.ComparePatch;
import io.flotilla.bundle.options.BundleDeploymentOptions.CorrectDrift;
import io.flotilla.bundle.options.BundleDeploymentOptions.DiffOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.DownstreamResource;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.IgnoreOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.KeySelector;
import io.flotilla.bundle.options.BundleDeploymentOptions.KustomizeOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.Operation;
import io.flotilla.bundle.options.BundleDeploymentOptions.ValuesFrom;
import io.flotilla.bundle.options.BundleDeploymentOptions.YamlOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OptionsMergeTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void mergesLikeFleet(String rule, BundleDeploymentOptions base, BundleDeploymentOptions custom,
            BundleDeploymentOptions expected) {
        assertThat(OptionsMerge.merge(base, custom)).isEqualTo(expected);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("defaultNamespace: custom non-empty wins",
                        opts().defaultNamespace("base"), opts().defaultNamespace("custom"),
                        opts().defaultNamespace("custom")),
                row("defaultNamespace: empty custom keeps base",
                        opts().defaultNamespace("base"), opts().defaultNamespace(""), opts().defaultNamespace("base")),
                row("namespace: custom non-empty wins",
                        opts().namespace("base"), opts().namespace("custom"), opts().namespace("custom")),
                row("namespace: unset custom keeps base",
                        opts().namespace("base"), opts(), opts().namespace("base")),
                row("serviceAccount: custom non-empty wins",
                        opts().serviceAccount("sa1"), opts().serviceAccount("sa2"), opts().serviceAccount("sa2")),
                row("defaultNamespace: \"-\" clears (fixed §9 item 10)",
                        opts().defaultNamespace("base"), opts().defaultNamespace("-"), opts()),
                row("namespace: \"-\" clears (fixed §9 item 10)",
                        opts().namespace("base"), opts().namespace("-"), opts()),
                row("serviceAccount: \"-\" clears (fixed §9 item 10)",
                        opts().serviceAccount("sa"), opts().serviceAccount("-"), opts()),
                row("helm: absent in custom keeps base helm",
                        opts().helm(helm().chart("c").build()), opts().namespace("x"),
                        opts().helm(helm().chart("c").build()).namespace("x")),
                row("helm: absent in custom and base stays absent",
                        opts(), opts().namespace("x"), opts().namespace("x")),
                row("helm: custom helm on base without helm creates it",
                        opts(), opts().helm(helm().chart("c").values(Map.of("a", 1)).build()),
                        opts().helm(helm().chart("c").values(Map.of("a", 1)).build())),
                row("helm: empty custom helm block creates an empty helm",
                        opts(), opts().helm(HelmOptions.empty()), opts().helm(HelmOptions.empty())),
                row("timeoutSeconds: custom > 0 wins",
                        withHelm(helm().timeoutSeconds(30)), withHelm(helm().timeoutSeconds(60)),
                        withHelm(helm().timeoutSeconds(60))),
                row("timeoutSeconds: custom < 0 resets to 0",
                        withHelm(helm().timeoutSeconds(30)), withHelm(helm().timeoutSeconds(-1)),
                        withHelm(helm().timeoutSeconds(0))),
                row("timeoutSeconds: custom 0 keeps base",
                        withHelm(helm().timeoutSeconds(30)), withHelm(helm()), withHelm(helm().timeoutSeconds(30))),
                row("values: maps merge recursively, scalars replaced",
                        withHelm(helm().values(map("image", map("repo", "nginx", "tag", "1.0"), "replicas", 1))),
                        withHelm(helm().values(map("image", map("tag", "2.0"), "debug", true))),
                        withHelm(helm().values(map("image", map("repo", "nginx", "tag", "2.0"), "replicas", 1,
                                "debug", true)))),
                row("values: lists are replaced, not appended",
                        withHelm(helm().values(map("hosts", List.of("a", "b")))),
                        withHelm(helm().values(map("hosts", List.of("c")))),
                        withHelm(helm().values(map("hosts", List.of("c"))))),
                row("values: a map replaces a scalar and a scalar replaces a map",
                        withHelm(helm().values(map("a", "scalar", "b", map("x", 1)))),
                        withHelm(helm().values(map("a", map("y", 2), "b", "scalar"))),
                        withHelm(helm().values(map("a", map("y", 2), "b", "scalar")))),
                row("values: explicit null in custom is kept (Helm deletes the key)",
                        withHelm(helm().values(map("a", 1, "b", 2))),
                        withHelm(helm().values(map("a", null))),
                        withHelm(helm().values(map("a", null, "b", 2)))),
                row("values: base without values takes custom values",
                        withHelm(helm().chart("c")), withHelm(helm().values(map("a", 1))),
                        withHelm(helm().chart("c").values(map("a", 1)))),
                row("values: custom without values keeps base values",
                        withHelm(helm().values(map("a", 1))), withHelm(helm().chart("c")),
                        withHelm(helm().chart("c").values(map("a", 1)))),
                row("templateValues: key-wise overwrite",
                        withHelm(helm().templateValues(Map.of("a", "1", "b", "2"))),
                        withHelm(helm().templateValues(Map.of("b", "3", "c", "4"))),
                        withHelm(helm().templateValues(Map.of("a", "1", "b", "3", "c", "4")))),
                row("templateValues: base without them takes custom",
                        withHelm(helm()), withHelm(helm().templateValues(Map.of("a", "1"))),
                        withHelm(helm().templateValues(Map.of("a", "1")))),
                row("valuesFrom: same key replaced in place, new appended, key-less appended",
                        withHelm(helm().valuesFrom(List.of(cm("ns", "a", "k"), secret("ns", "s", "k")))),
                        withHelm(helm().valuesFrom(List.of(new ValuesFrom(null, null), cm("ns", "b", "k"),
                                cmReplacement("ns", "a", "k")))),
                        withHelm(helm().valuesFrom(List.of(cmReplacement("ns", "a", "k"), secret("ns", "s", "k"),
                                new ValuesFrom(null, null), cm("ns", "b", "k"))))),
                row("valuesFrom: a secret and a configmap with equal coordinates are different keys",
                        withHelm(helm().valuesFrom(List.of(cm("ns", "a", "k")))),
                        withHelm(helm().valuesFrom(List.of(secret("ns", "a", "k")))),
                        withHelm(helm().valuesFrom(List.of(cm("ns", "a", "k"), secret("ns", "a", "k"))))),
                row("repo/chart/version/releaseName: custom wins when non-empty",
                        withHelm(helm().repo("r1").chart("c1").version("1").releaseName("n1")),
                        withHelm(helm().repo("r2").chart("").version("2")),
                        withHelm(helm().repo("r2").chart("c1").version("2").releaseName("n1"))),
                row("helm flags: true in custom switches on (Fleet OR)",
                        withHelm(helm()), withHelm(helm().force(true).atomic(true).takeOwnership(true)
                                .disablePreProcess(true).waitForJobs(true).disableDNS(true)),
                        withHelm(helm().force(true).atomic(true).takeOwnership(true).disablePreProcess(true)
                                .waitForJobs(true).disableDNS(true))),
                row("helm flags: unset in custom keep base true (Fleet OR)",
                        withHelm(helm().force(true).atomic(true).takeOwnership(true).disablePreProcess(true)
                                .waitForJobs(true).disableDNS(true)),
                        withHelm(helm().chart("c")),
                        withHelm(helm().chart("c").force(true).atomic(true).takeOwnership(true)
                                .disablePreProcess(true).waitForJobs(true).disableDNS(true))),
                row("helm flags: explicit false in custom switches off (fixed §9 item 11)",
                        withHelm(helm().force(true).atomic(true).takeOwnership(true).disablePreProcess(true)
                                .waitForJobs(true).disableDNS(true)),
                        withHelm(helm().force(false).atomic(false).takeOwnership(false).disablePreProcess(false)
                                .waitForJobs(false).disableDNS(false)),
                        withHelm(helm().force(false).atomic(false).takeOwnership(false).disablePreProcess(false)
                                .waitForJobs(false).disableDNS(false))),
                row("helm: maxHistory, skipSchemaValidation, disableDependencyUpdate, valuesFiles keep base",
                        withHelm(helm().maxHistory(3).valuesFiles(List.of("a.yaml"))),
                        withHelm(helm().maxHistory(9).skipSchemaValidation(true).disableDependencyUpdate(true)
                                .valuesFiles(List.of("b.yaml"))),
                        withHelm(helm().maxHistory(3).valuesFiles(List.of("a.yaml")))),
                row("keepResources: true in custom switches on",
                        opts(), opts().keepResources(true), opts().keepResources(true)),
                row("keepResources: unset custom keeps base true",
                        opts().keepResources(true), opts(), opts().keepResources(true)),
                row("keepResources: explicit false switches off (fixed §9 item 11)",
                        opts().keepResources(true), opts().keepResources(false), opts().keepResources(false)),
                row("kustomize.dir: custom non-empty wins",
                        opts().kustomize(new KustomizeOptions("base")), opts().kustomize(new KustomizeOptions("prod")),
                        opts().kustomize(new KustomizeOptions("prod"))),
                row("kustomize.dir: empty custom keeps base",
                        opts().kustomize(new KustomizeOptions("base")), opts().kustomize(new KustomizeOptions("")),
                        opts().kustomize(new KustomizeOptions("base"))),
                row("kustomize: custom block on base without one creates it",
                        opts(), opts().kustomize(new KustomizeOptions(null)),
                        opts().kustomize(new KustomizeOptions(null))),
                row("diff.comparePatches: by apiVersion|kind|namespace|name, replace, append, first duplicate wins",
                        opts().diff(diff(patch("Deployment", "a", "/spec/replicas"), patch("Service", "s", "/x"))),
                        opts().diff(diff(patch("Deployment", "a", "/spec/template"), patch("ConfigMap", "c", "/d"),
                                patch("ConfigMap", "c", "/ignored"))),
                        opts().diff(diff(patch("Deployment", "a", "/spec/template"), patch("Service", "s", "/x"),
                                patch("ConfigMap", "c", "/d")))),
                row("diff: custom block on base without diff",
                        opts(), opts().diff(diff(patch("Deployment", "a", "/p"))),
                        opts().diff(diff(patch("Deployment", "a", "/p")))),
                row("yaml.overlays: base then custom",
                        opts().yaml(new YamlOptions(List.of("a", "b"))), opts().yaml(new YamlOptions(List.of("c"))),
                        opts().yaml(new YamlOptions(List.of("a", "b", "c")))),
                row("forceSyncGeneration: custom > 0 wins",
                        opts().forceSyncGeneration(1), opts().forceSyncGeneration(7), opts().forceSyncGeneration(7)),
                row("forceSyncGeneration: custom 0 keeps base",
                        opts().forceSyncGeneration(3), opts(), opts().forceSyncGeneration(3)),
                row("correctDrift: custom non-null replaces whole",
                        opts().correctDrift(new CorrectDrift(true, true, true)),
                        opts().correctDrift(new CorrectDrift(true, false, false)),
                        opts().correctDrift(new CorrectDrift(true, false, false))),
                row("correctDrift: custom null keeps base",
                        opts().correctDrift(new CorrectDrift(true, false, false)), opts(),
                        opts().correctDrift(new CorrectDrift(true, false, false))),
                row("downstreamResources: by lower(kind)|name, replace, append",
                        opts().downstreamResources(List.of(new DownstreamResource("Secret", "a"),
                                new DownstreamResource("ConfigMap", "b"))),
                        opts().downstreamResources(List.of(new DownstreamResource("secret", "a"),
                                new DownstreamResource("Secret", "c"))),
                        opts().downstreamResources(List.of(new DownstreamResource("secret", "a"),
                                new DownstreamResource("ConfigMap", "b"), new DownstreamResource("Secret", "c")))),
                row("everything else keeps base (deleteNamespace, ignore, namespace labels/annotations, ...)",
                        opts().deleteNamespace(false).createNamespace(true).namespaceLabels(Map.of("a", "1"))
                                .ignore(new IgnoreOptions(List.of(Map.of("type", "Ready")))),
                        opts().deleteNamespace(true).deleteCRDResources(true).createNamespace(false)
                                .namespaceLabels(Map.of("b", "2")).namespaceAnnotations(Map.of("c", "3"))
                                .ignore(new IgnoreOptions(List.of(Map.of("type", "Other"))))
                                .overwrites(List.of(Map.of("x", 1)))
                                .allowedTargetNamespaceSelector(LabelSelectorSpec.everything()),
                        opts().deleteNamespace(false).createNamespace(true).namespaceLabels(Map.of("a", "1"))
                                .ignore(new IgnoreOptions(List.of(Map.of("type", "Ready"))))));
    }

    @Test
    void neverModifiesItsInputs() {
        Map<String, Object> nested = new HashMap<>(Map.of("tag", "1"));
        BundleDeploymentOptions base = opts().helm(helm().values(map("image", nested))
                .valuesFrom(List.of(cm("ns", "a", "k"))).templateValues(Map.of("a", "1")).build())
                .yaml(new YamlOptions(List.of("a"))).diff(diff(patch("Deployment", "d", "/x"))).build();
        BundleDeploymentOptions custom = opts().helm(helm().values(map("image", map("tag", "2")))
                .valuesFrom(List.of(cm("ns", "b", "k"))).templateValues(Map.of("b", "2")).build())
                .yaml(new YamlOptions(List.of("b"))).diff(diff(patch("Deployment", "e", "/y"))).build();
        String baseBefore = DeploymentIds.canonicalJson(base);
        String customBefore = DeploymentIds.canonicalJson(custom);

        BundleDeploymentOptions merged = OptionsMerge.merge(base, custom);

        assertThat(DeploymentIds.canonicalJson(base)).isEqualTo(baseBefore);
        assertThat(DeploymentIds.canonicalJson(custom)).isEqualTo(customBefore);
        assertThat(merged.helm().values()).isEqualTo(map("image", map("tag", "2")));
        assertThat(nested).containsEntry("tag", "1");
    }

    @Test
    void mergingNothingIntoOptionsKeepsThem() {
        BundleDeploymentOptions base = opts().namespace("n").helm(helm().chart("c").values(map("a", 1)).build())
                .keepResources(true).build();
        assertThat(OptionsMerge.merge(base, BundleDeploymentOptions.empty())).isEqualTo(base);
    }

    private static Arguments row(String rule, BundleDeploymentOptions.Builder base,
            BundleDeploymentOptions.Builder custom, BundleDeploymentOptions.Builder expected) {
        return arguments(rule, base.build(), custom.build(), expected.build());
    }

    private static BundleDeploymentOptions.Builder opts() {
        return BundleDeploymentOptions.builder();
    }

    private static HelmOptions.Builder helm() {
        return HelmOptions.builder();
    }

    private static BundleDeploymentOptions.Builder withHelm(HelmOptions.Builder helm) {
        return opts().helm(helm.build());
    }

    /** A map that allows null values, in the given key order. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static ValuesFrom cm(String ns, String name, String key) {
        return new ValuesFrom(new KeySelector(name, ns, key), null);
    }

    /** Same merge key as {@link #cm} (the configMapKeyRef wins), but a distinguishable value. */
    private static ValuesFrom cmReplacement(String ns, String name, String key) {
        return new ValuesFrom(new KeySelector(name, ns, key), new KeySelector("marker", "marker", "marker"));
    }

    private static ValuesFrom secret(String ns, String name, String key) {
        return new ValuesFrom(null, new KeySelector(name, ns, key));
    }

    private static DiffOptions diff(ComparePatch... patches) {
        return new DiffOptions(new ArrayList<>(Arrays.asList(patches)));
    }

    private static ComparePatch patch(String kind, String name, String pointer) {
        return new ComparePatch("apps/v1", kind, name, "default", List.of(pointer),
                List.of(new Operation("remove", pointer, null)));
    }
}

package io.flotilla.bundle.render;

import static io.flotilla.bundle.render.TestBundles.at;
import static io.flotilla.bundle.render.TestBundles.find;
import static io.flotilla.bundle.render.TestBundles.ids;
import static io.flotilla.bundle.render.TestBundles.namespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.YamlOptions;
import io.flotilla.bundle.options.BundleResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Raw-YAML bundles through {@link BundleRenderer}. */
class RawYamlTest {

    private static final String CM = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: %s
            """;

    @TempDir
    Path workDir;

    private final BundleRenderer renderer = new BundleRenderer(TestBundles.NO_CHARTS);

    private RenderedBundle render(List<BundleResource> resources, BundleDeploymentOptions options) throws RenderException {
        return renderer.render("bundle", resources, options, TestBundles.context(workDir));
    }

    @Test
    void multiDocumentYamlSkipsEmptyDocumentsAndFlattensLists() throws RenderException {
        var resources = TestBundles.of("all.yaml", """
                ---
                # only a comment
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: one
                ---
                ---
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Secret
                  metadata:
                    name: two
                - apiVersion: v1
                  kind: ConfigMap
                  metadata:
                    name: three
                """);

        RenderedBundle rendered = render(resources, null);

        assertThat(rendered.style()).isEqualTo("raw");
        assertThat(ids(rendered)).containsExactly("ConfigMap/one", "Secret/two", "ConfigMap/three");
    }

    @Test
    void jsonAndYmlFilesAreManifestsOtherFilesAreNot() throws RenderException {
        var resources = TestBundles.of(
                "a.json", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"from-json\"}}",
                "b.yml", CM.formatted("from-yml"),
                "README.md", "# not a manifest",
                "script.sh", "echo hi",
                "fleet.yaml", "defaultNamespace: x\n");

        assertThat(ids(render(resources, null))).containsExactly("ConfigMap/from-json", "ConfigMap/from-yml");
    }

    @Test
    void subDirectoriesWithTheirOwnFleetYamlOrChartYamlAreSkipped() throws RenderException {
        var resources = TestBundles.of(
                "top.yaml", CM.formatted("top"),
                "sub/deep.yaml", CM.formatted("deep"),
                "nested-bundle/fleet.yaml", "namespace: other\n",
                "nested-bundle/cm.yaml", CM.formatted("nested"),
                "nested-bundle/more/cm.yaml", CM.formatted("nested-more"),
                "nested-yml/fleet.yml", "namespace: other\n",
                "nested-yml/cm.yaml", CM.formatted("nested-yml"),
                "chart/Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                "chart/templates/cm.yaml", CM.formatted("{{ .Release.Name }}"));

        assertThat(ids(render(resources, null))).containsExactly("ConfigMap/deep", "ConfigMap/top");
    }

    @Test
    void base64GzContentIsDecoded() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(CM.formatted("zipped").getBytes(StandardCharsets.UTF_8));
        }
        var resources = List.of(new BundleResource("z.yaml", Base64.getEncoder().encodeToString(bytes.toByteArray()),
                BundleResource.ENCODING_BASE64_GZ));

        assertThat(ids(render(resources, null))).containsExactly("ConfigMap/zipped");
    }

    @Test
    void overlaysReplaceFilesAndMergePatchInOrder() throws RenderException {
        var resources = TestBundles.of(
                "deploy.yaml", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: web
                          labels: {tier: frontend, remove-me: "yes"}
                        spec:
                          replicas: 1
                          template:
                            spec:
                              containers:
                              - name: web
                                image: nginx:1
                        """,
                "svc.yaml", """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: web
                        spec:
                          type: ClusterIP
                        """,
                "overlays/prod/svc.yaml", """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: web
                        spec:
                          type: LoadBalancer
                        """,
                "overlays/prod/deploy_patch.yaml", """
                        metadata:
                          labels: {remove-me: null, env: prod}
                        spec:
                          replicas: 3
                        """,
                "overlays/prod/extra.yaml", CM.formatted("prod-only"),
                "overlays/big/deploy_patch.yaml", "- {op: replace, path: /spec/replicas, value: 10}\n",
                "overlays/unused/svc.yaml", CM.formatted("never"));
        var options = BundleDeploymentOptions.builder().yaml(new YamlOptions(List.of("prod", "big"))).build();

        RenderedBundle rendered = render(resources, options);

        assertThat(ids(rendered)).containsExactly("Deployment/web", "ConfigMap/prod-only", "Service/web");
        var deployment = find(rendered, "Deployment", "web");
        assertThat(at(deployment, "spec.replicas")).isEqualTo(10);
        assertThat(at(deployment, "metadata.labels")).isEqualTo(java.util.Map.of("tier", "frontend", "env", "prod"));
        assertThat(at(deployment, "spec.template.spec.containers")).asList().hasSize(1);
        assertThat(at(find(rendered, "Service", "web"), "spec.type")).isEqualTo("LoadBalancer");
    }

    @Test
    void withoutOverlaysTheOverlaysDirectoryIsDropped() throws RenderException {
        var resources = TestBundles.of("a.yaml", CM.formatted("a"), "overlays/dev/b.yaml", CM.formatted("b"));

        assertThat(ids(render(resources, null))).containsExactly("ConfigMap/a");
    }

    @Test
    void patchWithoutBaseFileIsAnErrorNamingThePatch() {
        // the patch's extension is part of the base name: svc_patch.json patches svc.json, not svc.yaml
        var resources = TestBundles.of("svc.yaml", CM.formatted("svc"), "overlays/dev/svc_patch.json", "{}");
        var options = BundleDeploymentOptions.builder().yaml(new YamlOptions(List.of("dev"))).build();

        assertThatThrownBy(() -> render(resources, options))
                .hasMessage("bundle bundle: overlays/dev/svc_patch.json: failed to find base file svc.json to patch");
    }

    static Stream<Arguments> namespaces() {
        return Stream.of(
                // defaultNamespace, namespace, object's own namespace, expected
                Arguments.of(null, null, null, "default"),
                Arguments.of("apps", null, null, "apps"),
                Arguments.of("apps", null, "own", "own"),
                Arguments.of(null, "forced", null, "forced"),
                Arguments.of("apps", "forced", "own", "forced"),
                Arguments.of("", "", "", "default"));
    }

    @ParameterizedTest(name = "defaultNamespace={0} namespace={1} own={2} -> {3}")
    @MethodSource("namespaces")
    void namespacedObjectsGetTheirNamespace(String defaultNs, String targetNs, String own, String expected)
            throws RenderException {
        String meta = own == null ? "" : "\n  namespace: \"" + own + "\"";
        var resources = TestBundles.of("cm.yaml", CM.formatted("cm") .stripTrailing() + meta + "\n",
                "role.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n"
                        + "  namespace: stray\n");
        var options = BundleDeploymentOptions.builder().defaultNamespace(defaultNs).namespace(targetNs).build();

        if (targetNs != null && !targetNs.isEmpty()) {
            resources = resources.subList(0, 1);
        }
        RenderedBundle rendered = render(resources, options);

        assertThat(namespace(find(rendered, "ConfigMap", "cm"))).isEqualTo(expected);
        rendered.objects().stream().filter(o -> o.get("kind").equals("ClusterRole"))
                .forEach(role -> assertThat(TestBundles.metadata(role)).doesNotContainKey("namespace"));
    }

    @Test
    void clusterScopedObjectUnderTargetNamespaceIsAnErrorNamingTheObject() {
        var resources = TestBundles.of(
                "cm.yaml", CM.formatted("cm"),
                "rbac/role.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
                        + "  name: reader\n");
        var options = BundleDeploymentOptions.builder().namespace("target").build();

        assertThatThrownBy(() -> render(resources, options))
                .isInstanceOfSatisfying(RenderException.class, e -> {
                    assertThat(e.file()).isEqualTo("rbac/role.yaml");
                    assertThat(e.getMessage()).isEqualTo("bundle bundle: rbac/role.yaml: invalid cluster scoped object"
                            + " [name=reader kind=ClusterRole] found, consider using \"defaultNamespace\", not"
                            + " \"namespace\" in fleet.yaml");
                });
    }

    @Test
    void callerSuppliedClusterScopedKindsApply() throws RenderException {
        var resources = TestBundles.of("issuer.yaml",
                "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\n");
        var ctx = new RenderContext("r", Set.of("ClusterIssuer"), workDir, TestBundles.NO_KUSTOMIZE);

        RenderedBundle rendered = renderer.render("b", resources, BundleDeploymentOptions.empty(), ctx);

        assertThat(TestBundles.metadata(rendered.objects().get(0))).doesNotContainKey("namespace");
    }

    @Test
    void objectsAreSortedInApplyOrderKeepingFileOrderWithinAGroup() throws RenderException {
        var resources = TestBundles.of(
                "1.yaml", CM.formatted("cm-1"),
                "2.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: role\n",
                "3.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
                        + "  name: crd\n",
                "4.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n",
                "5.yaml", CM.formatted("cm-2"),
                "6.yaml", "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n",
                "7.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-2\n");

        assertThat(ids(render(resources, null))).containsExactly(
                "Namespace/ns", "Namespace/ns-2", "CustomResourceDefinition/crd", "ClusterRole/role",
                "StorageClass/fast", "ConfigMap/cm-1", "ConfigMap/cm-2");
    }

    @Test
    void malformedYamlNamesFileAndLine() {
        var resources = TestBundles.of("ok.yaml", CM.formatted("ok"), "manifests/bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: bad
                data:
                  key: [unclosed
                """);

        assertThatThrownBy(() -> render(resources, null))
                .isInstanceOfSatisfying(RenderException.class, e -> {
                    assertThat(e.bundle()).isEqualTo("bundle");
                    assertThat(e.file()).isEqualTo("manifests/bad.yaml");
                    assertThat(e.line()).isEqualTo(7);
                    assertThat(e.getMessage()).isEqualTo("bundle bundle: manifests/bad.yaml:7: while parsing a flow"
                            + " sequence started at line 6: expected ',' or ']', but got <stream end>");
                });
    }

    @Test
    void documentWithoutKindNamesFileAndLineOfTheDocument() {
        var resources = TestBundles.of("x.yaml", CM.formatted("first") + "---\nmetadata:\n  name: second\n");

        assertThatThrownBy(() -> render(resources, null))
                .hasMessage("bundle bundle: x.yaml:6: not a Kubernetes object: \"kind\" is missing");
    }

    @Test
    void resourceNamesEscapingTheBundleAreRefused() {
        var resources = TestBundles.of("../evil.yaml", CM.formatted("x"));

        assertThatThrownBy(() -> render(resources, null))
                .hasMessage("bundle bundle: ../evil.yaml: resource names must be relative file paths inside the bundle");
    }

    @Test
    void workDirectoryIsCleanedUp() throws RenderException, IOException {
        render(TestBundles.of("a.yaml", CM.formatted("a")), null);

        try (Stream<Path> left = Files.list(workDir)) {
            assertThat(left).isEmpty();
        }
    }
}

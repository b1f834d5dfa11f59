package io.flotilla.bundle.render;

import static io.flotilla.bundle.render.TestBundles.at;
import static io.flotilla.bundle.render.TestBundles.find;
import static io.flotilla.bundle.render.TestBundles.ids;
import static io.flotilla.bundle.render.TestBundles.namespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Helm renders through helm-java. */
class HelmChartHelmTest {

    private static final String CHART_YAML = """
            apiVersion: v2
            name: app
            version: 1.2.3
            """;
    private static final String VALUES_YAML = """
            replicas: 1
            image: nginx
            message: from-chart
            """;
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ .Release.Name }}-web
            spec:
              replicas: {{ .Values.replicas }}
              template:
                spec:
                  containers:
                  - name: web
                    image: {{ .Values.image }}
            """;
    private static final String CONFIGMAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-config
              namespace: {{ .Release.Namespace }}
            data:
              message: {{ .Values.message | quote }}
              chart: {{ .Chart.Name }}-{{ .Chart.Version }}
            """;
    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            spec:
              group: example.com
              names: {kind: Widget, plural: widgets}
              scope: Namespaced
              versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
            """;

    @TempDir
    Path workDir;

    private final BundleRenderer renderer = new BundleRenderer(TestBundles.NO_CHARTS);

    @Test
    void chartDirectoryWithValuesValuesFilesReleaseNameAndNamespace() throws RenderException {
        var resources = TestBundles.of(
                "chart/Chart.yaml", CHART_YAML,
                "chart/values.yaml", VALUES_YAML,
                "chart/templates/deployment.yaml", DEPLOYMENT,
                "chart/templates/configmap.yaml", CONFIGMAP,
                "chart/crds/widgets.yaml", CRD,
                "values/prod.yaml", "replicas: 5\nmessage: from-file\n",
                "values/extra.yaml", "message: from-second-file\n");
        var options = BundleDeploymentOptions.builder()
                .defaultNamespace("apps")
                .helm(HelmOptions.builder()
                        .chart("./chart")
                        .releaseName("my-rel")
                        .values(Map.of("image", "httpd", "replicas", 2))
                        .valuesFiles(List.of("values/prod.yaml", "values/extra.yaml"))
                        .build())
                .build();

        RenderedBundle rendered = renderer.render("bundle-a", resources, options, TestBundles.context(workDir));

        assertThat(rendered.style()).isEqualTo("helm");
        assertThat(ids(rendered)).containsExactly(
                "CustomResourceDefinition/widgets.example.com", "ConfigMap/my-rel-config", "Deployment/my-rel-web");
        var deployment = find(rendered, "Deployment", "my-rel-web");
        assertThat(at(deployment, "spec.replicas")).isEqualTo(5);
        assertThat(namespace(deployment)).isEqualTo("apps");
        var config = find(rendered, "ConfigMap", "my-rel-config");
        assertThat(at(config, "data.message")).isEqualTo("from-second-file");
        assertThat(at(config, "data.chart")).isEqualTo("app-1.2.3");
        assertThat(namespace(config)).isEqualTo("apps");
        assertThat(TestBundles.metadata(find(rendered, "CustomResourceDefinition", "widgets.example.com")))
                .doesNotContainKey("namespace");
    }

    @Test
    void vendoredDependencyInChartsDirectoryRendersWithParentValues() throws RenderException {
        var resources = TestBundles.of(
                "Chart.yaml", """
                        apiVersion: v2
                        name: parent
                        version: 0.1.0
                        dependencies:
                        - name: dep
                          version: 0.2.0
                          repository: https://charts.example.com
                        """,
                "values.yaml", "dep:\n  greeting: from-parent\n",
                "templates/cm.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: parent
                        """,
                "charts/dep/Chart.yaml", "apiVersion: v2\nname: dep\nversion: 0.2.0\n",
                "charts/dep/values.yaml", "greeting: from-dep\n",
                "charts/dep/templates/cm.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: {{ .Release.Name }}-dep
                        data:
                          greeting: {{ .Values.greeting }}
                        """,
                "charts/dep/crds/gadget.yaml", CRD.replace("widgets", "gadgets").replace("Widget", "Gadget"));

        RenderedBundle rendered = renderer.render("parent", resources, BundleDeploymentOptions.builder()
                .helm(HelmOptions.empty()).build(), TestBundles.context(workDir));

        assertThat(rendered.style()).isEqualTo("helm");
        assertThat(ids(rendered)).containsExactlyInAnyOrder(
                "CustomResourceDefinition/gadgets.example.com", "ConfigMap/parent", "ConfigMap/release-dep");
        assertThat(at(find(rendered, "ConfigMap", "release-dep"), "data.greeting")).isEqualTo("from-parent");
        assertThat(namespace(find(rendered, "ConfigMap", "parent"))).isEqualTo("default");
    }

    @Test
    void vendoredDependencyArchiveWithCrds(@TempDir Path depSource) throws Exception {
        Path archive = HelmCharts.packageChart(depSource, Map.of(
                "Chart.yaml", "apiVersion: v2\nname: dep\nversion: 0.2.0\n",
                "templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dep\n",
                "crds/gadget.yaml", CRD.replace("widgets", "gadgets").replace("Widget", "Gadget")));
        var resources = new ArrayList<>(TestBundles.of(
                "Chart.yaml", "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n- name: dep\n  version: 0.2.0\n",
                "crds/widget.yaml", CRD));
        resources.add(HelmCharts.binaryResource("charts/dep-0.2.0.tgz", archive));

        RenderedBundle rendered = renderer.render("parent", resources, BundleDeploymentOptions.empty(),
                TestBundles.context(workDir));

        assertThat(ids(rendered)).containsExactly("CustomResourceDefinition/widgets.example.com",
                "CustomResourceDefinition/gadgets.example.com", "ConfigMap/dep");
    }

    @Test
    void dependencyMissingFromChartsDirectoryIsAnError() {
        var resources = TestBundles.of(
                "Chart.yaml", "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n- name: dep\n  version: 0.2.0\n");

        assertThatThrownBy(() -> renderer.render("parent", resources, BundleDeploymentOptions.empty(),
                TestBundles.context(workDir)))
                .hasMessageStartingWith("bundle parent: Chart.yaml: helm template failed:")
                .hasMessageContaining("dep");
    }

    @Test
    void rootChartYamlWithoutHelmOptionsIsHelmStyle() throws RenderException {
        var resources = TestBundles.of(
                "Chart.yaml", CHART_YAML,
                "values.yaml", VALUES_YAML,
                "templates/configmap.yaml", CONFIGMAP);

        RenderedBundle rendered = renderer.render("b", resources, BundleDeploymentOptions.builder()
                .namespace("target").build(), TestBundles.context(workDir));

        var config = find(rendered, "ConfigMap", "release-config");
        assertThat(namespace(config)).isEqualTo("target");
        assertThat(at(config, "data.message")).isEqualTo("from-chart");
    }

    @Test
    void rawBundleWithTemplatesDirectoryRendersThroughSynthesisedChart() throws RenderException {
        var resources = TestBundles.of(
                "fleet.yaml", "defaultNamespace: web\n",
                "plain.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n",
                "templates/configmap.yaml", CONFIGMAP,
                "templates/_helpers.tpl", "{{- define \"x\" -}}x{{- end -}}\n");
        var options = BundleDeploymentOptions.builder().defaultNamespace("web")
                .helm(HelmOptions.builder().values(Map.of("message", "templated")).build()).build();

        RenderedBundle rendered = renderer.render("fleet-local/my-bundle", resources, options,
                TestBundles.context(workDir));

        assertThat(rendered.style()).isEqualTo("raw");
        assertThat(ids(rendered)).containsExactly("ConfigMap/plain", "ConfigMap/release-config");
        var config = find(rendered, "ConfigMap", "release-config");
        assertThat(at(config, "data.message")).isEqualTo("templated");
        assertThat((String) at(config, "data.chart")).startsWith("my-bundle-v0.0.0+");
        assertThat(namespace(config)).isEqualTo("web");
    }

    @Test
    void chartArchiveInTheBundleIsUnpacked(@TempDir Path chartSource) throws Exception {
        Path archive = HelmCharts.packageChart(chartSource, Map.of(
                "Chart.yaml", CHART_YAML, "values.yaml", VALUES_YAML, "templates/deployment.yaml", DEPLOYMENT));
        var resources = List.of(HelmCharts.binaryResource("app-1.2.3.tgz", archive));

        RenderedBundle rendered = renderer.render("b", resources, BundleDeploymentOptions.builder()
                .helm(HelmOptions.builder().chart("app-1.2.3.tgz").build()).build(), TestBundles.context(workDir));

        assertThat(ids(rendered)).containsExactly("Deployment/release-web");
    }

    @Test
    void templateErrorNamesBundleAndChart() {
        var resources = TestBundles.of(
                "chart/Chart.yaml", CHART_YAML,
                "chart/templates/broken.yaml", "kind: {{ .Values.missing.deeper }}\n");
        var options = BundleDeploymentOptions.builder().helm(HelmOptions.builder().chart("chart").build()).build();

        assertThatThrownBy(() -> renderer.render("b", resources, options, TestBundles.context(workDir)))
                .isInstanceOfSatisfying(RenderException.class, e -> {
                    assertThat(e.bundle()).isEqualTo("b");
                    assertThat(e.file()).isEqualTo("chart/Chart.yaml");
                    assertThat(e.getMessage()).startsWith("bundle b: chart/Chart.yaml: helm template failed:")
                            .contains("broken.yaml");
                });
    }

    @Test
    void renderedOutputThatIsNotAnObjectNamesTheTemplate() {
        var resources = TestBundles.of(
                "chart/Chart.yaml", CHART_YAML,
                "chart/templates/nokind.yaml", "metadata:\n  name: x\n");
        var options = BundleDeploymentOptions.builder().helm(HelmOptions.builder().chart("chart").build()).build();

        assertThatThrownBy(() -> renderer.render("b", resources, options, TestBundles.context(workDir)))
                .isInstanceOfSatisfying(RenderException.class, e ->
                        assertThat(e.getMessage()).isEqualTo("bundle b: app/templates/nokind.yaml: not a Kubernetes"
                                + " object: \"kind\" is missing"));
    }

    @Test
    void malformedCrdNamesItsFileAndLine() {
        var resources = TestBundles.of(
                "chart/Chart.yaml", CHART_YAML,
                "chart/crds/bad.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: [CustomResourceDefinition\n");
        var options = BundleDeploymentOptions.builder().helm(HelmOptions.builder().chart("chart").build()).build();

        assertThatThrownBy(() -> renderer.render("b", resources, options, TestBundles.context(workDir)))
                .hasMessageStartingWith("bundle b: chart/crds/bad.yaml:3: while parsing a flow sequence started at line 2");
    }
}

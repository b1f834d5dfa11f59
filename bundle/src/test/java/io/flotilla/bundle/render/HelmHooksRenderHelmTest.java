package io.flotilla.bundle.render;

import static io.flotilla.bundle.render.TestBundles.at;
import static io.flotilla.bundle.render.TestBundles.find;
import static io.flotilla.bundle.render.TestBundles.ids;
import static io.flotilla.bundle.render.TestBundles.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleResource;
import io.flotilla.bundle.reader.ContentEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hooks survive rendering: helm-java's {@code template} leaves them out of its output, the renderer keeps them with
 * their annotations (the agent runs them in phases).
 */
class HelmHooksRenderHelmTest {
    private static final String CHART_YAML = "apiVersion: v2\nname: app\nversion: 0.1.0\n";
    private static final String CONFIGMAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-config
            data:
              hookDocs: "see helm.sh/hook"
            """;
    private static final String MIGRATE_JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {{ .Release.Name }}-migrate
              annotations:
                "helm.sh/hook": pre-install,pre-upgrade
                "helm.sh/hook-weight": "-5"
                "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: m, image: busybox}]
            """;
    private static final String TEST_POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{ .Release.Name }}-test
              annotations:
                "helm.sh/hook": test
            spec:
              containers: [{name: t, image: busybox}]
            """;
    /** Hook annotations coming from values, as many charts allow. */
    private static final String VALUES_HOOK = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {{ .Release.Name }}-notify
              annotations:
            {{ toYaml .Values.notify.annotations | indent 4 }}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: n, image: busybox}]
            """;

    @TempDir
    Path workDir;

    private final BundleRenderer renderer = new BundleRenderer(TestBundles.NO_CHARTS);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> annotations(Map<String, Object> object) {
        return (Map<String, Object>) TestBundles.metadata(object).get("annotations");
    }

    @Test
    void chartHooksAndTestHooksAreRenderedWithTheirAnnotations() throws RenderException {
        var resources = TestBundles.of(
                "Chart.yaml", CHART_YAML,
                "values.yaml", "notify:\n  annotations:\n    helm.sh/hook: post-install\n",
                "templates/config.yaml", CONFIGMAP,
                "templates/migrate.yaml", MIGRATE_JOB,
                "templates/notify.yaml", VALUES_HOOK,
                "templates/tests/test.yaml", TEST_POD);

        RenderedBundle rendered = renderer.render("app", resources, BundleDeploymentOptions.builder()
                .defaultNamespace("apps").helm(HelmOptions.builder().releaseName("rel").build()).build(),
                TestBundles.context(workDir));

        assertThat(ids(rendered)).containsExactlyInAnyOrder("ConfigMap/rel-config", "Job/rel-migrate",
                "Job/rel-notify", "Pod/rel-test");
        assertThat(annotations(find(rendered, "Job", "rel-migrate"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "helm.sh/hook", "pre-install,pre-upgrade", "helm.sh/hook-weight", "-5",
                "helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded"));
        assertThat(annotations(find(rendered, "Job", "rel-notify"))).containsEntry("helm.sh/hook", "post-install");
        assertThat(annotations(find(rendered, "Pod", "rel-test"))).containsEntry("helm.sh/hook", "test");
        assertThat(namespace(find(rendered, "Job", "rel-migrate"))).isEqualTo("apps");
        assertThat(at(find(rendered, "ConfigMap", "rel-config"), "data.hookDocs")).isEqualTo("see helm.sh/hook");
    }

    @Test
    void hookAnnotationsFromBundleValuesAreRendered() throws RenderException {
        var resources = TestBundles.of(
                "chart/Chart.yaml", CHART_YAML,
                "chart/values.yaml", "notify:\n  annotations: {}\n",
                "chart/templates/notify.yaml", VALUES_HOOK);
        var options = BundleDeploymentOptions.builder().helm(HelmOptions.builder().chart("./chart")
                .releaseName("rel").values(Map.of("notify", Map.of("annotations",
                        Map.of("helm.sh/hook", "post-upgrade", "helm.sh/hook-weight", "2")))).build()).build();

        RenderedBundle rendered = renderer.render("app", resources, options, TestBundles.context(workDir));

        assertThat(annotations(find(rendered, "Job", "rel-notify")))
                .containsEntry("helm.sh/hook", "post-upgrade").containsEntry("helm.sh/hook-weight", "2");
    }

    @Test
    void hooksOfAPackagedSubchartAreRendered() throws RenderException, IOException {
        Path depDir = Files.createDirectory(workDir.resolve("dep-src"));
        Path archive = HelmCharts.packageChart(depDir, Map.of(
                "Chart.yaml", "apiVersion: v2\nname: dep\nversion: 0.2.0\n",
                "templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dep-config\n",
                "templates/hook.yaml", MIGRATE_JOB.replace("{{ .Release.Name }}-migrate", "dep-migrate")));
        List<BundleResource> resources = new ArrayList<>(TestBundles.of(
                "Chart.yaml", CHART_YAML + "dependencies:\n- name: dep\n  version: 0.2.0\n  repository: https://charts.example.com\n",
                "templates/config.yaml", CONFIGMAP));
        resources.add(ContentEncoding.encode("charts/dep-0.2.0.tgz", Files.readAllBytes(archive), true));

        RenderedBundle rendered = renderer.render("app", resources, BundleDeploymentOptions.builder()
                .helm(HelmOptions.builder().releaseName("rel").build()).build(), TestBundles.context(workDir));

        assertThat(ids(rendered)).containsExactlyInAnyOrder("ConfigMap/rel-config", "ConfigMap/dep-config",
                "Job/dep-migrate");
        assertThat(annotations(find(rendered, "Job", "dep-migrate"))).containsEntry("helm.sh/hook-weight", "-5");
    }

    @Test
    void rawBundleTemplatesKeepTheirHooks() throws RenderException {
        var resources = TestBundles.of(
                "templates/migrate.yaml", MIGRATE_JOB,
                "configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n");

        RenderedBundle rendered = renderer.render("raw", resources, BundleDeploymentOptions.builder()
                .helm(HelmOptions.builder().releaseName("rel").build()).build(), TestBundles.context(workDir));

        assertThat(ids(rendered)).containsExactlyInAnyOrder("ConfigMap/plain", "Job/rel-migrate");
        assertThat(annotations(find(rendered, "Job", "rel-migrate"))).containsEntry("helm.sh/hook", "pre-install,pre-upgrade");
    }
}

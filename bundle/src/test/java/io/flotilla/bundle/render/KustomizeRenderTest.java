package io.flotilla.bundle.render;

import static io.flotilla.bundle.render.TestBundles.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.KustomizeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kustomize bundles through {@link BundleRenderer}; real kustomize runs are skipped when none is installed. */
class KustomizeRenderTest {

    private static final String CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n";

    @TempDir
    Path workDir;

    private final BundleRenderer renderer = new BundleRenderer(TestBundles.NO_CHARTS);

    @Test
    void runnerReceivesTheKustomizeDirectoryWithTheBundleFiles() throws RenderException {
        var seen = new StringBuilder();
        KustomizeRunner fake = dir -> {
            seen.append(dir.getFileName()).append(' ').append(Files.exists(dir.resolve("../../base/cm.yaml")));
            return CM.formatted("from-fake") + "---\n" + CM.formatted("second");
        };
        var resources = TestBundles.of(
                "base/kustomization.yaml", "resources: [cm.yaml]\n",
                "base/cm.yaml", CM.formatted("base"),
                "overlays/dev/kustomization.yaml", "resources: [../../base]\n");
        var options = BundleDeploymentOptions.builder().kustomize(new KustomizeOptions("./overlays/dev/"))
                .defaultNamespace("apps").build();

        RenderedBundle rendered = renderer.render("k", resources, options, RenderContext.of("r", workDir, fake));

        assertThat(seen.toString()).isEqualTo("dev true");
        assertThat(rendered.style()).isEqualTo("kustomize");
        assertThat(ids(rendered)).containsExactly("ConfigMap/from-fake", "ConfigMap/second");
        assertThat(rendered.objects()).allSatisfy(o -> assertThat(TestBundles.namespace(o)).isEqualTo("apps"));
    }

    @Test
    void kustomizeFailureNamesBundleAndKustomization() {
        KustomizeRunner failing = dir -> {
            throw RenderException.inFile(null, null, "kustomize build failed (exit 1): Error: missing.yaml not found");
        };
        var resources = TestBundles.of("overlays/dev/kustomization.yaml", "resources: [missing.yaml]\n");
        var options = BundleDeploymentOptions.builder().kustomize(new KustomizeOptions("overlays/dev")).build();

        assertThatThrownBy(() -> renderer.render("k", resources, options, RenderContext.of("r", workDir, failing)))
                .hasMessage("bundle k: overlays/dev/kustomization.yaml: kustomize build failed (exit 1): Error:"
                        + " missing.yaml not found");
    }

    @Test
    void realKustomizeErrorCarriesItsMessage() {
        TestBundles.assumeKustomize();
        var resources = TestBundles.of("kustomization.yaml", "resources: [missing.yaml]\n");
        var ctx = RenderContext.of("r", workDir, ProcessKustomizeRunner.fromEnvironment());

        assertThatThrownBy(() -> renderer.render("k", resources, BundleDeploymentOptions.empty(), ctx))
                .isInstanceOfSatisfying(RenderException.class, e -> {
                    assertThat(e.file()).isEqualTo("kustomization.yaml");
                    assertThat(e.detail()).contains("failed (exit 1)").contains("missing.yaml");
                });
    }
}

package io.flotilla.bundle.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.KustomizeOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BundleStyleTest {

    private static final String DOWNLOADED = BundleStyle.downloadPrefix(
            HelmOptions.builder().repo("https://charts.example.com").chart("app").version("1.0.0").build());

    @ParameterizedTest(name = "{0} | helm.chart={1} helm.repo={2} kustomize.dir={3} -> {4}")
    @CsvSource(nullValues = "none", value = {
        // files (space separated), helm.chart, helm.repo, kustomize.dir, style, chart dir, kustomize dir
        "a.yaml,                                   none,                  none, none,    raw,            none,  none",
        "Chart.yaml templates/a.yaml,              none,                  none, none,    helm,           '',    none",
        "chart/Chart.yaml,                         none,                  none, none,    raw,            none,  none",
        "chart/Chart.yaml,                         ./chart/,              none, none,    helm,           chart, none",
        "kustomization.yaml a.yaml,                none,                  none, none,    kustomize,      none,  ''",
        "overlays/dev/kustomization.yaml,          none,                  none, overlays/dev, kustomize, none, overlays/dev",
        "overlays/dev/kustomization.yaml,          none,                  none, none,    raw,            none,  none",
        "Chart.yaml kustomization.yaml,            '',                    none, none,    helm+kustomize, '',    ''",
        "DOWNLOADED/app/Chart.yaml,                app,  https://charts.example.com, none, helm,    DOWNLOADED/app, none",
        "a.yaml,                                   app,  https://charts.example.com, none, helm,    none,  none",
        "a.yaml,                                   https://x/app-1.tgz,   none, none,    helm,           none,  none",
        "a.yaml,                                   oci://r/app,           none, none,    helm,           none,  none",
        "app.tgz,                                  app.tgz,               none, none,    helm,           none,  none",
        "Kustomization.yaml,                       none,                  none, none,    raw,            none,  none",
    })
    void detectsStyleLikeFleet(String files, String chart, String repo, String kustomizeDir, String style,
                               String chartDir, String expectedKustomizeDir) throws RenderException {
        List<String> names = new ArrayList<>();
        for (String name : files.split(" ")) {
            names.add(name.replace("DOWNLOADED", DOWNLOADED));
        }
        List<String> pairs = new ArrayList<>();
        names.forEach(n -> {
            pairs.add(n);
            pairs.add("");
        });
        var builder = BundleDeploymentOptions.builder();
        if (chart != null || repo != null) {
            builder.helm(HelmOptions.builder().chart(chart).repo(repo).version(repo == null ? null : "1.0.0").build());
        }
        if (kustomizeDir != null) {
            builder.kustomize(new KustomizeOptions(kustomizeDir));
        }

        BundleStyle detected = BundleStyle.detect(BundleFiles.decode(TestBundles.of(pairs.toArray(String[]::new))),
                builder.build());

        assertThat(detected.name()).isEqualTo(style);
        assertThat(detected.chartDir()).isEqualTo(chartDir == null ? null : chartDir.replace("DOWNLOADED", DOWNLOADED));
        assertThat(detected.kustomizeDir()).isEqualTo(expectedKustomizeDir);
    }

    @ParameterizedTest
    @CsvSource({"'', ''", "., ''", "./a/b/, a/b", "a/../b, b", "a//b/./c, a/b/c"})
    void cleansPathsLikeGo(String path, String cleaned) {
        assertThat(BundleStyle.clean(path)).isEqualTo(cleaned);
    }
}

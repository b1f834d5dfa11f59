package io.flotilla.bundle.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OverlaysTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "deploy_patch.yaml, deploy.yaml",
        "dir/svc_patch.json, dir/svc.json",
        "a/b/c_patch.yml, a/b/c.yml",
        "x_patch.y_patch.yaml, x.y_patch.yaml",
        "deploy.yaml, none",
        "my_patches.yaml, none",
        "patch_dir/x.yaml, none",
    })
    void patchTargetIsTheNameWithoutPatchSuffix(String path, String target) {
        assertThat(Overlays.patchTarget(path)).isEqualTo(target);
    }

    @Test
    void laterOverlaysSeeEarlierResultsAndOverlayFilesAreDropped() throws RenderException {
        var files = new TreeMap<String, byte[]>();
        files.put("cm.yaml", bytes("kind: ConfigMap\ndata: {a: base, b: base}\n"));
        files.put("overlays/one/cm.yaml", bytes("kind: ConfigMap\ndata: {a: one}\n"));
        files.put("overlays/two/cm_patch.yaml", bytes("data: {c: two}\n"));
        files.put("overlays/three/new/file.yaml", bytes("kind: Secret\n"));

        BundleFiles result = Overlays.apply(BundleFiles.of(files), List.of("one", "two"));

        assertThat(result.asMap().keySet()).containsExactly("cm.yaml");
        assertThat(ManifestParser.parseSingle("cm.yaml", result.text("cm.yaml")))
                .isEqualTo(Map.of("kind", "ConfigMap", "data", Map.of("a", "one", "c", "two")));
    }

    @Test
    void overlayAddsFilesThatDoNotExistYet() throws RenderException {
        var files = new TreeMap<String, byte[]>();
        files.put("overlays/dev/extra/cm.yaml", bytes("kind: ConfigMap\n"));

        BundleFiles result = Overlays.apply(BundleFiles.of(files), List.of("dev"));

        assertThat(result.asMap().keySet()).containsExactly("extra/cm.yaml");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package io.flotilla.bundle.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.bundle.fleetyaml.FleetYaml;
import io.flotilla.bundle.options.BundleResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrunePlanTest {

    private static final String WEB = "kind: Deployment\nmetadata:\n  name: web\n  namespace: apps\n";
    private static final String DB = "kind: StatefulSet\nmetadata:\n  name: db\n";
    private static final OverwrittenResource WEB_OBJECT = new OverwrittenResource("Deployment", "web", "apps");

    static Stream<Arguments> plans() {
        return Stream.of(
                arguments("nothing stored", List.of(), List.of(fresh("repo-a", "d.yaml", WEB)),
                        List.of(), Map.of()),
                arguments("still produced: kept",
                        List.of(stored("repo-a", "d.yaml", WEB)), List.of(fresh("repo-a", "d.yaml", WEB)),
                        List.of(), Map.of()),
                arguments("gone: deleted, nothing shared",
                        List.of(stored("repo-old", "x.yaml", DB), stored("repo-a", "d.yaml", WEB)),
                        List.of(fresh("repo-a", "d.yaml", WEB)),
                        List.of("repo-old"), Map.of()),
                arguments("gone bundle shares an object under the same file name: overwrite recorded",
                        List.of(stored("repo-old", "d.yaml", WEB)), List.of(fresh("repo-new", "d.yaml", WEB)),
                        List.of("repo-old"), Map.of("repo-new", List.of(WEB_OBJECT))),
                arguments("same object under another file name: not detected (as in Fleet)",
                        List.of(stored("repo-old", "old.yaml", WEB)), List.of(fresh("repo-new", "d.yaml", WEB)),
                        List.of("repo-old"), Map.of()),
                arguments("same file name, other object",
                        List.of(stored("repo-old", "d.yaml", DB)), List.of(fresh("repo-new", "d.yaml", WEB)),
                        List.of("repo-old"), Map.of()),
                arguments("files without kind are not objects",
                        List.of(stored("repo-old", "values.yaml", "replicas: 1\n")),
                        List.of(fresh("repo-new", "values.yaml", "replicas: 1\n")),
                        List.of("repo-old"), Map.of()),
                arguments("template actions do not hide the object",
                        List.of(stored("repo-old", "t.yaml", "kind: Service\nmetadata:\n  name: {{ .Release.Name }}\n")),
                        List.of(fresh("repo-new", "t.yaml", "kind: Service\nmetadata:\n  name: {{ .Values.x }}\n")),
                        List.of("repo-old"),
                        Map.of("repo-new", List.of(new OverwrittenResource("Service", "TEMPLATED", ""))))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void plan(String description, List<PrunePlan.ExistingBundle> stored, List<ScannedBundle> scanned,
              List<String> delete, Map<String, List<OverwrittenResource>> overwrites) {
        PrunePlan plan = PrunePlan.of(stored, scanned);
        assertThat(plan.delete()).as(description).isEqualTo(delete);
        assertThat(plan.overwrites()).as(description).isEqualTo(overwrites);
    }

    @org.junit.jupiter.api.Test
    void compressedStoredResourcesAreDecodedBeforeComparing() {
        BundleResource compressed = ContentEncoding.encode("d.yaml", WEB.getBytes(StandardCharsets.UTF_8), true);
        PrunePlan plan = PrunePlan.of(List.of(new PrunePlan.ExistingBundle("repo-old", List.of(compressed))),
                List.of(fresh("repo-new", "d.yaml", WEB)));
        assertThat(plan.overwrites()).containsEntry("repo-new", List.of(WEB_OBJECT));
    }

    private static PrunePlan.ExistingBundle stored(String name, String file, String content) {
        return new PrunePlan.ExistingBundle(name, List.of(new BundleResource(file, content, null)));
    }

    private static ScannedBundle fresh(String name, String file, String content) {
        List<BundleResource> resources = List.of(new BundleResource(file, content, null));
        return new ScannedBundle(name, Path.of("."), null, null, FleetYaml.empty(), resources, Map.of(), "s-x",
                Map.of());
    }
}

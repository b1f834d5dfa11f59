package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flotilla test} on fixtures in the shapes of Fleet's public guestbook examples (raw manifests with
 * overlays, a Helm chart with per-environment values, kustomize overlays, Helm followed by kustomize),
 * for dev, test and prod cluster labels.
 */
class TestCommandTest {
    private static final String EXAMPLES = "../bundle/src/test/resources/examples/";

    static JsonNode render(String example, String env) throws Exception {
        TargetCommandTest.Run run = TargetCommandTest.run("test", "-l", "env=" + env, "-o", "json", EXAMPLES + example);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("with customizations " + env);
        return Json.MAPPER.readTree(run.out());
    }

    static Optional<JsonNode> find(JsonNode objects, String kind, String name) {
        for (JsonNode o : objects) {
            if (kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText())) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    static boolean kustomizeAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "kustomize")) || Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    /** Replicas of the frontend Deployment, its namespace, and the frontend Service type, per example and env. */
    @ParameterizedTest(name = "{0} for env={1}")
    @CsvSource({
            "guestbook-manifests,        dev,  1, guestbook-manifests",
            "guestbook-manifests,        test, 3, guestbook-manifests",
            "guestbook-manifests,        prod, 3, guestbook-manifests",
            "guestbook-helm,             dev,  1, guestbook-helm",
            "guestbook-helm,             test, 2, guestbook-helm",
            "guestbook-helm,             prod, 3, guestbook-helm",
            "guestbook-kustomize,        dev,  1, guestbook-kustomize",
            "guestbook-kustomize,        test, 2, guestbook-kustomize",
            "guestbook-kustomize,        prod, 3, guestbook-kustomize",
            "guestbook-helm-kustomize,   dev,  1, guestbook-helm-kustomize",
            "guestbook-helm-kustomize,   test, 1, guestbook-helm-kustomize",
            "guestbook-helm-kustomize,   prod, 3, guestbook-helm-kustomize"})
    void rendersEachExampleShapePerEnvironment(String example, String env, int replicas, String namespace) throws Exception {
        if (example.contains("kustomize")) {
            Assumptions.assumeTrue(kustomizeAvailable(), "neither kustomize nor kubectl is on the PATH");
        }
        JsonNode objects = render(example, env);
        List<String> names = new ArrayList<>();
        objects.forEach(o -> names.add(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()));
        JsonNode frontend = find(objects, "Deployment", "frontend").orElseThrow(() -> new AssertionError("no frontend in " + names));
        assertThat(frontend.path("spec").path("replicas").asInt()).as(names.toString()).isEqualTo(replicas);
        assertThat(frontend.path("metadata").path("namespace").asText()).isEqualTo(namespace);
        assertThat(names).contains("Service/frontend");
    }
}

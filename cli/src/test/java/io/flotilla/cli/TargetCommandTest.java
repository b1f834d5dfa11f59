package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TargetCommandTest {
    private static final String DIR = "src/test/resources/target/";

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = FlotillaCli.commandLine().execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void showsPerClusterDecisionWithCustomizationsAndDoNotDeploy() throws Exception {
        Run run = run("target", "--bundle", DIR + "app", "--gitrepo", DIR + "gitrepo.yaml", "--clusters",
                DIR + "clusters.yaml", "-o", "json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode clusters = Json.MAPPER.readTree(run.out()).get(0).path("clusters");
        assertThat(clusters).hasSize(3);
        assertThat(clusters.get(0).path("cluster").asText()).isEqualTo("fleet-default/dev-1");
        assertThat(clusters.get(0).path("deploy").asBoolean()).isTrue();
        assertThat(clusters.get(0).path("options").path("helm").path("values").path("replicas").asInt()).isEqualTo(1);
        assertThat(clusters.get(1).path("customizations").get(0).asText()).isEqualTo("prod");
        assertThat(clusters.get(1).path("options").path("helm").path("values").path("replicas").asInt()).isEqualTo(3);
        assertThat(clusters.get(1).path("deploymentID").asText()).startsWith("s-")
                .isNotEqualTo(clusters.get(0).path("deploymentID").asText());
        assertThat(clusters.get(2).path("deploy").asBoolean()).isFalse();
        assertThat(clusters.get(2).path("excludedBy").asText()).isEqualTo("doNotDeploy in skip-legacy");
    }

    @Test
    void tableOutputNamesTargetAndExclusion() {
        Run run = run("target", "--bundle", DIR + "app", "--gitrepo", DIR + "gitrepo.yaml", "--clusters", DIR + "clusters.yaml");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("BUNDLE", "fleet-default/prod-1", "everything", "doNotDeploy in skip-legacy");
    }

    /** Issue 13: unnamed targets crashed with a NullPointerException; the manifestID of a Bundle file was "null". */
    @Test
    void bundleFileWithUnnamedTargetsAndNoContentId() throws Exception {
        Run run = run("target", "--bundle", DIR + "unnamed-bundle.yaml", "--clusters", DIR + "clusters.yaml",
                "--groups", DIR + "groups.yaml", "-o", "json");
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode clusters = Json.MAPPER.readTree(run.out()).get(0).path("clusters");
        JsonNode dev = clusters.get(0);
        assertThat(dev.path("cluster").asText()).isEqualTo("fleet-default/dev-1");
        assertThat(dev.path("customizations").get(0).asText()).isEqualTo("targets[0]");
        assertThat(dev.path("options").path("helm").path("values").path("replicas").asText()).isEqualTo("1");
        for (JsonNode c : clusters) {
            assertThat(c.path("deploy").asBoolean()).isTrue();
            assertThat(c.path("deploymentID").asText()).matches("s-[0-9a-f]{61}:[0-9a-f]{64}");
        }
    }

    /** Issue 13: anchors and aliases in bundle YAML given to the CLI were read as strings and refused. */
    @Test
    void bundleFileWithAnchorsAliasesAndMergeKeys() throws Exception {
        Run run = run("target", "--bundle", DIR + "alias-bundle.yaml", "--clusters", DIR + "clusters.yaml", "-o", "json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode clusters = Json.MAPPER.readTree(run.out()).get(0).path("clusters");
        assertThat(Json.MAPPER.convertValue(clusters.get(0).path("options").path("helm").path("values"), Map.class))
                .isEqualTo(Map.of("image", "web", "replicas", "1"));
        assertThat(Json.MAPPER.convertValue(clusters.get(1).path("options").path("helm").path("values"), Map.class))
                .isEqualTo(Map.of("image", "web", "replicas", "2"));
    }

    /** No input gives a stack trace: a malformed Bundle file is an error naming the field. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'targets: oops'                    | spec.targets: expected a list, got string",
            "'resources: 5'                     | spec.resources: expected a list, got number",
            "'targets: [{clusterName: [a]}]'    | spec.targets[0].clusterName",
            "'rolloutStrategy: {partitions: 3}' | spec.rolloutStrategy.partitions"})
    void malformedBundleFilesNameTheField(String spec, String message, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("bundle.yaml");
        java.nio.file.Files.writeString(file, "apiVersion: flotilla.io/v1alpha1\nkind: Bundle\nmetadata: {name: x}\n"
                + "spec:\n  " + spec + "\n");
        Run run = run("target", "--bundle", file.toString(), "--clusters", DIR + "clusters.yaml");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', value = {
            "app    | bad-clusters.yaml  | bad-clusters.yaml: Cluster \"dev-1\": spec.templateValuez: unknown field",
            "broken | clusters.yaml      | fleet.yaml:3:3: unknown field \"valuez\"",
            "app    | missing.yaml       | missing.yaml: no such file"})
    void invalidInputExitsNonZeroNamingFileAndField(String bundle, String clusters, String message) {
        Run run = run("target", "--bundle", DIR + bundle, "--clusters", DIR + clusters);
        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains(message);
        assertThat(Path.of(DIR + bundle)).exists();
    }
}

package io.flotilla.manager.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flotilla.bundle.fleetyaml.DependsOn;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleResource;
import io.flotilla.bundle.options.GitTarget;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRDs the manager ships match its API: one per kind, group and version of {@link Kind}. */
class CrdManifestsTest {

    static Stream<Kind> apiKinds() {
        // Secrets are native; a Content kind (if Kind ever lists it) is checked by contentIsClusterScoped
        return Arrays.stream(Kind.values()).filter(k -> k != Kind.SECRET && !k.plural().equals(CrdManifests.CONTENTS));
    }

    @ParameterizedTest
    @MethodSource("apiKinds")
    void everyKindHasANamespacedCrdWithStatus(Kind kind) throws Exception {
        assertThat(CrdManifests.PLURALS).contains(kind.plural());
        JsonNode crd = Json.YAML.readTree(CrdManifests.yaml(kind.plural()));
        assertThat(crd.path("kind").asText()).isEqualTo("CustomResourceDefinition");
        assertThat(crd.path("metadata").path("name").asText()).isEqualTo(kind.plural() + "." + Kind.GROUP);
        JsonNode spec = crd.path("spec");
        assertThat(spec.path("group").asText()).isEqualTo(Kind.GROUP);
        assertThat(spec.path("names").path("kind").asText()).isEqualTo(kind.kindName());
        assertThat(spec.path("names").path("plural").asText()).isEqualTo(kind.plural());
        assertThat(spec.path("scope").asText()).isEqualTo("Namespaced");
        assertThat(spec.path("versions")).hasSize(1);
        JsonNode version = spec.path("versions").get(0);
        assertThat(version.path("name").asText()).isEqualTo(Kind.VERSION);
        assertThat(version.path("storage").asBoolean()).isTrue();
        assertThat(version.path("subresources").has("status")).isTrue();
        assertThat(version.path("additionalPrinterColumns").size()).isGreaterThan(1);
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        if (kind == Kind.GIT_REPO_RESTRICTION) {
            // Fleet's GitRepoRestriction keeps its fields at the top level, not under spec
            assertThat(schema.path("properties").path("allowedServiceAccounts").path("type").asText()).isEqualTo("array");
            assertThat(schema.path("properties").has("spec")).isFalse();
        } else {
            assertThat(schema.path("properties").path("spec").path("type").asText()).isEqualTo("object");
        }
        // the manager writes status fields no schema can list ahead: the status root must keep them
        assertThat(schema.path("properties").path("status").path("x-kubernetes-preserve-unknown-fields").asBoolean())
                .isTrue();
    }

    @Test
    void contentIsClusterScopedWithoutStatus() throws Exception {
        JsonNode crd = Json.YAML.readTree(CrdManifests.yaml(CrdManifests.CONTENTS));
        assertThat(crd.path("spec").path("names").path("kind").asText()).isEqualTo("Content");
        assertThat(crd.path("spec").path("scope").asText()).isEqualTo("Cluster");
        JsonNode version = crd.path("spec").path("versions").get(0);
        assertThat(version.has("subresources")).isFalse();
        assertThat(version.path("schema").path("openAPIV3Schema").path("required"))
                .extracting(JsonNode::asText).containsExactly("sha256sum", "content");
    }

    @Test
    void theClassPathHoldsExactlyTheChartFilesUnchanged() throws Exception {
        Path chart = Path.of("..", "charts", "flotilla-crds", "templates");
        List<String> files;
        try (Stream<Path> list = Files.list(chart)) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(
                CrdManifests.PLURALS.stream().map(p -> CrdManifests.crdName(p) + ".yaml").toList());
        for (String plural : CrdManifests.PLURALS) {
            String inChart = Files.readString(chart.resolve(CrdManifests.crdName(plural) + ".yaml"));
            assertThat(CrdManifests.yaml(plural)).isEqualTo(inChart);
            // no template directive: the chart renders them as they are, and the manager applies the same bytes
            assertThat(inChart).doesNotContain("{{");
        }
        assertThat(CrdManifests.yamlDocuments()).hasSize(CrdManifests.PLURALS.size());
    }

    /**
     * The manager writes Bundle and BD specs from these records (Jackson); every field of every record must be in
     * the schema, or the API server would silently prune it (walks records, lists of records, nested records).
     */
    @Test
    void specSchemasListEveryFieldOfTheRecordsTheManagerWrites() throws Exception {
        JsonNode bundle = specProperties("bundles");
        JsonNode bd = specProperties("bundledeployments");
        List<String> missing = new ArrayList<>();
        Class<?> targetJson = Class.forName("io.flotilla.bundle.options.BundleTargetJson");
        compare(BundleDeploymentOptions.class, bundle, "bundles.spec", missing, false);
        compare(targetJson, bundle.path("targets").path("items").path("properties"), "bundles.spec.targets[]", missing, true);
        compare(GitTarget.class, bundle.path("targetRestrictions").path("items").path("properties"),
                "bundles.spec.targetRestrictions[]", missing, true);
        compare(DependsOn.class, bundle.path("dependsOn").path("items").path("properties"), "bundles.spec.dependsOn[]",
                missing, true);
        compare(BundleResource.class, bundle.path("resources").path("items").path("properties"),
                "bundles.spec.resources[]", missing, true);
        for (String options : List.of("options", "stagedOptions")) {
            compare(BundleDeploymentOptions.class, bd.path(options).path("properties"), "bundledeployments.spec." + options,
                    missing, true);
        }
        compare(BundleDeploymentOptions.CorrectDrift.class, bd.path("correctDrift").path("properties"),
                "bundledeployments.spec.correctDrift", missing, true);
        assertThat(missing).as("fields the manager writes that the CRD schemas do not list").isEmpty();
    }

    private static JsonNode specProperties(String plural) throws Exception {
        return Json.YAML.readTree(CrdManifests.yaml(plural)).path("spec").path("versions").get(0).path("schema")
                .path("openAPIV3Schema").path("properties").path("spec").path("properties");
    }

    /** Each JSON property of {@code record} must be in {@code properties}; exact = no schema field beyond them. */
    private static void compare(Class<?> record, JsonNode properties, String path, List<String> missing, boolean exact) {
        List<String> names = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            JsonProperty p = c.getAnnotation(JsonProperty.class);
            String name = p != null && !p.value().isEmpty() ? p.value() : c.getName();
            names.add(name);
            JsonNode schema = properties.path(name);
            if (schema.isMissingNode()) {
                missing.add(path + "." + name);
                continue;
            }
            Class<?> nested = recordOf(c.getGenericType());
            if (nested != null) {
                JsonNode nestedProperties = schema.path("type").asText().equals("array")
                        ? schema.path("items").path("properties") : schema.path("properties");
                compare(nested, nestedProperties, path + "." + name, missing, true);
            }
        }
        if (exact) {
            properties.fieldNames().forEachRemaining(f -> {
                if (!names.contains(f)) {
                    missing.add(path + "." + f + " (in the schema, not in " + record.getSimpleName() + ")");
                }
            });
        }
    }

    /** The record type of a component, or of the elements of a List component; null otherwise. */
    private static Class<?> recordOf(Type type) {
        if (type instanceof Class<?> c && c.isRecord()) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] instanceof Class<?> e && e.isRecord()) {
            return e;
        }
        return null;
    }
}

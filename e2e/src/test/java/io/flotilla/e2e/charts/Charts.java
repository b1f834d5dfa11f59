package io.flotilla.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.marcnuri.helm.Helm;
import io.flotilla.manager.api.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Renders the project's charts ({@code charts/}) with helm-java, as {@code helm template} does. */
final class Charts {
    static final Path DIR = Path.of("..", "charts").toAbsolutePath().normalize();

    /** A rendered chart: its objects, in Helm's order. */
    record Rendered(List<JsonNode> objects) {
        List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> found = ofKind(kind);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + ", found " + found.size());
            }
            return found.get(0);
        }

        Optional<JsonNode> find(String kind, String name) {
            return objects.stream().filter(o -> kind.equals(o.path("kind").asText())
                    && name.equals(o.path("metadata").path("name").asText())).findFirst();
        }

        List<String> kinds() {
            return objects.stream().map(o -> o.path("kind").asText()).toList();
        }
    }

    private Charts() {
    }

    /**
     * {@code helm template <release> charts/<chart> -n <namespace> [-f values]}.
     *
     * @param valuesYaml a values file's content, or null for the chart's defaults
     */
    static Rendered render(String chart, String release, String namespace, String valuesYaml, Path scratch)
            throws IOException {
        var command = new Helm(DIR.resolve(chart)).template().withName(release).withNamespace(namespace);
        if (valuesYaml != null) {
            Path values = Files.createTempFile(scratch, chart + "-values-", ".yaml");
            Files.writeString(values, valuesYaml);
            command.withValuesFile(values);
        }
        String manifest = command.call();
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = Json.YAML.readerFor(JsonNode.class).readValues(manifest)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.isObject() && doc.has("kind")) {
                    objects.add(doc);
                }
            }
        }
        return new Rendered(objects);
    }
}

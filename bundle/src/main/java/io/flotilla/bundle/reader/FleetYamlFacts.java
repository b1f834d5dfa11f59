package io.flotilla.bundle.reader;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the reader needs from a fleet.yaml: the {@code name:} override, the {@code labels:} and the values
 * files of {@code helm} and of every {@code targets}/{@code targetCustomizations} entry (with whether the
 * bundle-level {@code helm.chart} is set, which decides whether Fleet reads the bundle-level ones).
 */
record FleetYamlFacts(String name, Map<String, String> labels, List<String> bundleValuesFiles,
                      boolean bundleChart, List<String> targetValuesFiles) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static final FleetYamlFacts EMPTY = new FleetYamlFacts("", Map.of(), List.of(), false, List.of());

    /**
     * @throws BundleReadException naming the file, line and error for invalid YAML
     */
    static FleetYamlFacts parse(String content, String fileName) {
        JsonNode root;
        try {
            root = YAML.readTree(content);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? fileName : fileName + ":" + at.getLineNr();
            throw new BundleReadException(where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return EMPTY;
        }
        if (!root.isObject()) {
            throw new BundleReadException(fileName + ":1: fleet.yaml must be a mapping");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        root.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> targetValues = new ArrayList<>();
        for (String list : List.of("targets", "targetCustomizations")) {
            for (JsonNode target : root.path(list)) {
                targetValues.addAll(texts(target.path("helm").path("valuesFiles")));
            }
        }
        JsonNode helm = root.path("helm");
        return new FleetYamlFacts(root.path("name").asText(""), Map.copyOf(labels),
                texts(helm.path("valuesFiles")), !helm.path("chart").asText("").isEmpty(), List.copyOf(targetValues));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}

package io.flotilla.manager.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.yaml.YamlOutput;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Shared Jackson mappers and small accessors for API objects held as {@link ObjectNode}s. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** Reads YAML, and writes it with quotes only where needed and every string kept a string ({@link YamlOutput}). */
    public static final ObjectMapper YAML = new ObjectMapper(YamlOutput.factory());

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public static String name(JsonNode object) {
        return text(object.path("metadata"), "name");
    }

    public static String namespace(JsonNode object) {
        return text(object.path("metadata"), "namespace");
    }

    public static String resourceVersion(JsonNode object) {
        return text(object.path("metadata"), "resourceVersion");
    }

    public static Optional<Kind> kind(JsonNode object) {
        String k = text(object, "kind");
        return k == null ? Optional.empty() : Kind.byKindName(k);
    }

    public static ObjectKey key(JsonNode object) {
        return new ObjectKey(kind(object).orElseThrow(() -> new IllegalArgumentException("object without a known kind")),
                namespace(object), name(object));
    }

    /** The object's {@code metadata.labels} as a map (empty when absent). */
    public static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new LinkedHashMap<>();
        object.path("metadata").path("labels").fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** The object's {@code metadata.annotations} as a map (empty when absent). */
    public static Map<String, String> annotations(JsonNode object) {
        Map<String, String> annotations = new LinkedHashMap<>();
        object.path("metadata").path("annotations").fields()
                .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        return annotations;
    }

    /** A fresh {@code {apiVersion, kind, metadata:{namespace, name}}} skeleton. */
    public static ObjectNode newObject(Kind kind, String namespace, String name) {
        ObjectNode o = object();
        o.put("apiVersion", kind.apiVersion());
        o.put("kind", kind.kindName());
        ObjectNode md = o.putObject("metadata");
        md.put("name", name);
        md.put("namespace", namespace);
        return o;
    }

    public static ObjectNode metadata(ObjectNode object) {
        JsonNode md = object.get("metadata");
        return md instanceof ObjectNode o ? o : object.putObject("metadata");
    }

    public static ObjectNode status(ObjectNode object) {
        JsonNode st = object.get("status");
        return st instanceof ObjectNode o ? o : object.putObject("status");
    }
}

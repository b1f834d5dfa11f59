package io.flotilla.manager.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * Helpers for API objects held as Jackson trees ({@code {apiVersion, kind, metadata, spec, status}}),
 * with the strict checks the stores need; the general accessors are {@link Json}'s.
 */
public final class ApiObjects {

    /** The manager's one mapper (see {@link Json}). */
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private ApiObjects() {
    }

    /** A new, empty object of {@code kind} named {@code namespace/name}, with its apiVersion and kind set. */
    public static ObjectNode newObject(Kind kind, String namespace, String name) {
        return Json.newObject(kind, namespace, name);
    }

    /** Parses a JSON document that must be an object. */
    public static ObjectNode parse(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new IllegalArgumentException("expected a JSON object, got " + node.getNodeType());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Compact JSON text of {@code node}. */
    public static String toJson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // a tree built from JsonNodes always serializes
            throw new IllegalStateException(e);
        }
    }

    /**
     * The identity of {@code object}, from {@code kind}, {@code metadata.namespace} and {@code metadata.name}.
     *
     * @throws IllegalArgumentException when the kind is unknown, or namespace or name is missing, empty or
     *                                  contains {@code /}
     */
    public static ObjectKey key(ObjectNode object) {
        String kindName = object.path("kind").asText("");
        Kind kind = Kind.byKindName(kindName)
                .orElseThrow(() -> new IllegalArgumentException("unknown kind \"" + kindName + "\""));
        return new ObjectKey(kind, pathSegment(object, "namespace"), pathSegment(object, "name"));
    }

    /** {@code metadata.name}, or empty text when absent. */
    public static String name(ObjectNode object) {
        return object.path("metadata").path("name").asText("");
    }

    /** {@code metadata.namespace}, or empty text when absent. */
    public static String namespace(ObjectNode object) {
        return object.path("metadata").path("namespace").asText("");
    }

    /** The {@code metadata} object, created when absent (or when it is not an object). */
    public static ObjectNode metadata(ObjectNode object) {
        return Json.metadata(object);
    }

    /** {@code metadata.resourceVersion} when present and non-empty. */
    public static Optional<String> resourceVersion(ObjectNode object) {
        String rv = object.path("metadata").path("resourceVersion").asText("");
        return rv.isEmpty() ? Optional.empty() : Optional.of(rv);
    }

    /**
     * A resourceVersion as a number, for ordering watch events. Clients must treat resourceVersions as opaque;
     * only the server compares them.
     *
     * @throws IllegalArgumentException when {@code resourceVersion} is not a non-negative decimal long
     */
    public static long resourceVersionNumber(String resourceVersion) {
        long value;
        try {
            value = Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid resourceVersion \"" + resourceVersion + "\"", e);
        }
        if (value < 0) {
            throw new IllegalArgumentException("invalid resourceVersion \"" + resourceVersion + "\"");
        }
        return value;
    }

    /** {@code metadata.generation}, or 0 when absent. */
    public static long generation(ObjectNode object) {
        return object.path("metadata").path("generation").asLong(0);
    }

    private static String pathSegment(ObjectNode object, String field) {
        String value = object.path("metadata").path(field).asText("");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("metadata." + field + " is required");
        }
        if (value.indexOf('/') >= 0) {
            throw new IllegalArgumentException("metadata." + field + " \"" + value + "\" must not contain '/'");
        }
        return value;
    }
}

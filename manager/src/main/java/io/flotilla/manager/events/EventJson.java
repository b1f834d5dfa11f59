package io.flotilla.manager.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** An {@link Event} as a Kubernetes {@code core/v1} Event document, and back. */
public final class EventJson {
    /** Tells our events apart from everyone else's in a namespace (Kubernetes mode). */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "flotilla";
    public static final String COMPONENT = "flotilla-manager";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    public static ObjectNode toJson(Event e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("apiVersion", "v1");
        o.put("kind", "Event");
        ObjectNode metadata = o.putObject("metadata");
        metadata.put("name", e.name());
        metadata.put("namespace", e.namespace());
        metadata.putObject("labels").put(MANAGED_BY_LABEL, MANAGED_BY);
        ObjectNode involved = o.putObject("involvedObject");
        involved.put("apiVersion", apiVersion(e.involved().kind()));
        involved.put("kind", e.involved().kind());
        involved.put("namespace", e.involved().namespace());
        involved.put("name", e.involved().name());
        if (!e.involved().uid().isEmpty()) {
            involved.put("uid", e.involved().uid());
        }
        o.put("reason", e.reason());
        o.put("message", e.message());
        o.put("type", e.type().wireName());
        o.put("count", e.count());
        o.put("firstTimestamp", e.firstTimestamp().toString());
        o.put("lastTimestamp", e.lastTimestamp().toString());
        o.putObject("source").put("component", COMPONENT);
        o.put("reportingComponent", COMPONENT);
        return o;
    }

    public static Event fromJson(JsonNode o) {
        JsonNode md = o.path("metadata");
        JsonNode io = o.path("involvedObject");
        Instant first = instant(o.path("firstTimestamp").asText(null), md.path("creationTimestamp").asText(null));
        Instant last = instant(o.path("lastTimestamp").asText(null), first.toString());
        return new Event(md.path("namespace").asText(), md.path("name").asText(), Event.EventType.of(o.path("type").asText()),
                o.path("reason").asText(), o.path("message").asText(),
                new Event.InvolvedObject(io.path("kind").asText(), io.path("namespace").asText(), io.path("name").asText(),
                        io.path("uid").asText("")),
                Math.max(1, o.path("count").asInt(1)), first, last);
    }

    private static Instant instant(String value, String fallback) {
        String v = value == null || value.isEmpty() || value.equals("null") ? fallback : value;
        return v == null || v.isEmpty() ? Instant.EPOCH : Instant.parse(v);
    }

    static String apiVersion(String kind) {
        return switch (kind) {
            case "Secret", "Namespace", "Event" -> "v1";
            default -> "flotilla.io/v1alpha1";
        };
    }
}

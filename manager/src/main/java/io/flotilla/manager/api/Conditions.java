package io.flotilla.manager.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** Sets Kubernetes-style conditions in a status object; the transition time moves only when status flips. */
public final class Conditions {
    private Conditions() {
    }

    public static void set(ObjectNode status, String type, boolean value, String reason, String message, Instant now) {
        ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        String statusText = value ? "True" : "False";
        ObjectNode target = null;
        for (JsonNode c : conditions) {
            if (type.equals(Json.text(c, "type"))) {
                target = (ObjectNode) c;
            }
        }
        if (target == null) {
            target = conditions.addObject();
            target.put("type", type);
        }
        if (!statusText.equals(Json.text(target, "status"))) {
            target.put("lastTransitionTime", now.toString());
        }
        target.put("status", statusText);
        target.put("lastUpdateTime", now.toString());
        target.put("reason", reason);
        target.put("message", message == null ? "" : message);
    }

    /** The condition's status ("True"/"False"), or null when absent. */
    public static String get(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(Json.text(c, "type"))) {
                return Json.text(c, "status");
            }
        }
        return null;
    }
}

package io.flotilla.manager.statusapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.status.BdState;

/**
 * A BundleDeployment's {@code status.display} (fleet-semantics §6.9): {@code deployed} and {@code monitored} from the
 * conditions of the same name ({@code "Error: <message>"} when the reason is {@code Error}, else the condition's
 * status, or "" when absent) and {@code state} from §6.1. Pure: computed from the stored object.
 */
public final class BdDisplay {
    private BdDisplay() {
    }

    public static ObjectNode of(JsonNode bd) {
        JsonNode status = bd.path("status");
        ObjectNode display = Json.object();
        display.put("deployed", condition(status, "Deployed"));
        display.put("monitored", condition(status, "Monitored"));
        display.put("state", BdState.of(BdSnapshots.from(bd)).state().wireName());
        return display;
    }

    /** Sets {@code status.display} of {@code bd}; true when it changed. */
    public static boolean update(ObjectNode bd) {
        ObjectNode display = of(bd);
        ObjectNode status = Json.status(bd);
        if (display.equals(status.get("display"))) {
            return false;
        }
        status.set("display", display);
        return true;
    }

    private static String condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(Json.text(c, "type"))) {
                if ("Error".equals(Json.text(c, "reason"))) {
                    String message = Json.text(c, "message");
                    return "Error: " + (message == null ? "" : message);
                }
                String value = Json.text(c, "status");
                return value == null ? "" : value;
            }
        }
        return "";
    }
}

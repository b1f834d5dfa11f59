package io.flotilla.manager.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keeps Helm {@code values} out of every object the API answers with. Values can come from Secrets
 * ({@code valuesFrom}) or hold credentials; Fleet keeps them out of Bundle and BundleDeployment objects (in Secrets).
 * Flotilla keeps them in its store, where the agent's deliveries read them, and removes them from the objects it
 * shows, putting {@code spec.valuesHash} (sha256 of what was removed) in their place so a change stays visible.
 * Pure: JSON in, JSON out.
 */
public final class ValuesRedaction {
    private ValuesRedaction() {
    }

    /** {@code object} itself when it holds no values, else a copy without them. */
    public static ObjectNode redact(ObjectNode object) {
        String kind = Json.text(object, "kind");
        JsonNode spec = object.get("spec");
        if (!(spec instanceof ObjectNode) || kind == null) {
            return object;
        }
        if (kind.equals(Kind.BUNDLE.kindName())) {
            return redactBundle(object);
        }
        if (kind.equals(Kind.BUNDLE_DEPLOYMENT.kindName())) {
            return redactBundleDeployment(object);
        }
        return object;
    }

    private static ObjectNode redactBundle(ObjectNode object) {
        JsonNode spec = object.get("spec");
        boolean any = hasValues(spec);
        for (JsonNode t : spec.path("targets")) {
            any |= hasValues(t);
        }
        if (!any) {
            return object;
        }
        ObjectNode copy = object.deepCopy();
        ObjectNode copySpec = (ObjectNode) copy.get("spec");
        // hashed like Fleet's values secret: bundle values, then each target's, in order
        ObjectNode removed = Json.object();
        removed.set("values.yaml", take(copySpec));
        ArrayNode targets = removed.putArray("targets");
        for (JsonNode t : copySpec.path("targets")) {
            targets.add(t instanceof ObjectNode o ? take(o) : Json.MAPPER.nullNode());
        }
        copySpec.put("valuesHash", sha256(removed));
        return copy;
    }

    private static ObjectNode redactBundleDeployment(ObjectNode object) {
        JsonNode spec = object.get("spec");
        if (!hasValues(spec.path("options")) && !hasValues(spec.path("stagedOptions"))) {
            return object;
        }
        ObjectNode copy = object.deepCopy();
        ObjectNode copySpec = (ObjectNode) copy.get("spec");
        ObjectNode removed = Json.object();
        removed.set("values", copySpec.get("options") instanceof ObjectNode o ? take(o) : Json.MAPPER.nullNode());
        removed.set("stagedValues", copySpec.get("stagedOptions") instanceof ObjectNode o ? take(o)
                : Json.MAPPER.nullNode());
        copySpec.put("valuesHash", sha256(removed));
        return copy;
    }

    private static boolean hasValues(JsonNode options) {
        JsonNode values = options.path("helm").get("values");
        return values != null && !values.isNull();
    }

    /** Removes {@code helm.values} from {@code options} and returns it (a JSON null when there was none). */
    private static JsonNode take(ObjectNode options) {
        JsonNode helm = options.get("helm");
        if (helm instanceof ObjectNode h && h.has("values")) {
            return h.remove("values");
        }
        return Json.MAPPER.nullNode();
    }

    private static String sha256(JsonNode removed) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(removed.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

package io.flotilla.manager.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Values of the manager's own credential Secrets, kept as Kubernetes keeps every Secret's {@code data}: base64. (A
 * Kubernetes-mode manager stores them as native Secrets, whose API refuses anything else.) Stores written before
 * this held the plain text, which is still read.
 */
public final class SecretData {
    private SecretData() {
    }

    public static void put(ObjectNode data, String key, String value) {
        data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The value of {@code key}, or null when absent. */
    public static String get(JsonNode data, String key) {
        JsonNode node = data == null ? null : data.get(key);
        if (node == null || !node.isTextual()) {
            return null;
        }
        String text = node.asText();
        try {
            String decoded = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
            // Plain text of an older store may happen to be valid base64 (a hex hash is): only printable results count.
            if (!decoded.isEmpty() && decoded.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                    && Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)).equals(text)) {
                return decoded;
            }
        } catch (IllegalArgumentException notBase64) {
            // an older store's plain text
        }
        return text;
    }
}

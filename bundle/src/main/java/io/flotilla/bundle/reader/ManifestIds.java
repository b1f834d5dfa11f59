package io.flotilla.bundle.reader;

import io.flotilla.bundle.options.BundleResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Fleet's manifest JSON and manifestID (§5.4): Go {@code encoding/json} of
 * {@code {"resources":[{"name","content","encoding"}...]}} with resources sorted by name, empty fields
 * left out, {@code < > &} escaped as {@code \u003c \u003e \u0026}, and a trailing newline;
 * the id is {@code "s-"} plus the first 61 hex digits of its sha256.
 */
public final class ManifestIds {

    private static final int ID_LENGTH = 63;

    private ManifestIds() {
    }

    public static String manifestId(List<BundleResource> resources) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(manifestJson(resources));
            return ("s-" + HexFormat.of().formatHex(digest)).substring(0, ID_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JCA algorithm", e);
        }
    }

    public static byte[] manifestJson(List<BundleResource> resources) {
        StringBuilder json = new StringBuilder("{");
        if (!resources.isEmpty()) {
            json.append("\"resources\":[");
            List<BundleResource> sorted = resources.stream()
                    .sorted(Comparator.comparing(BundleResource::name)).toList();
            for (int i = 0; i < sorted.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                appendResource(json, sorted.get(i));
            }
            json.append(']');
        }
        return json.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendResource(StringBuilder json, BundleResource r) {
        json.append('{');
        boolean first = true;
        first = appendField(json, "name", r.name(), first);
        first = appendField(json, "content", r.content(), first);
        appendField(json, "encoding", r.encoding(), first);
        json.append('}');
    }

    private static boolean appendField(StringBuilder json, String key, String value, boolean first) {
        if (value == null || value.isEmpty()) {
            return first;
        }
        if (!first) {
            json.append(',');
        }
        json.append('"').append(key).append("\":");
        appendGoString(json, value);
        return false;
    }

    /** A JSON string the way Go's encoding/json writes it with HTML escaping on. */
    static void appendGoString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}

package io.flotilla.manager.store.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiObjects;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A bundle's resources as a cluster-scoped {@code Content} object, as Fleet stores them: {@code content} is the
 * base64 of the gzip of the JSON array, {@code sha256sum} the digest of that JSON (checked on read).
 */
final class ContentCodec {
    private ContentCodec() {
    }

    static ObjectNode encode(String contentId, ArrayNode resources) {
        byte[] json = ApiObjects.toJson(resources).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode content = Json.object();
        content.put("apiVersion", Kind.API_VERSION);
        content.put("kind", "Content");
        content.putObject("metadata").put("name", contentId);
        content.put("sha256sum", sha256(json));
        content.put("content", Base64.getEncoder().encodeToString(out.toByteArray()));
        return content;
    }

    /** @throws IllegalArgumentException when the object is not a readable Content or its digest does not match */
    static ArrayNode decode(ObjectNode content) {
        String name = content.path("metadata").path("name").asText();
        byte[] json;
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(
                Base64.getDecoder().decode(content.path("content").asText(""))))) {
            json = gzip.readAllBytes();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Content " + name + " is not base64 gzip: " + e.getMessage(), e);
        }
        if (!sha256(json).equals(content.path("sha256sum").asText())) {
            throw new IllegalArgumentException("Content " + name + " does not match its sha256sum");
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(json);
            if (parsed instanceof ArrayNode array) {
                return array;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Content " + name + " is not JSON: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("Content " + name + " is not a JSON array of resources");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

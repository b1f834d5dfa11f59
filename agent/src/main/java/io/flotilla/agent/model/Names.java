package io.flotilla.agent.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Fits names into Kubernetes length and character limits without losing uniqueness. */
public final class Names {
    private Names() {
    }

    /**
     * {@code name} when it is at most {@code max} characters; otherwise its first characters, a dash and the
     * first 10 hex digits of its SHA-256, {@code max} characters in all, ending in an alphanumeric.
     */
    public static String fit(String name, int max) {
        if (name.length() <= max) {
            return name;
        }
        String hash = sha256(name).substring(0, 10);
        String head = name.substring(0, max - hash.length() - 1).replaceAll("[^a-zA-Z0-9]+$", "");
        return head + "-" + hash;
    }

    /** A DNS-1123 subdomain made from {@code name}: lower case, invalid characters replaced, at most 253. */
    public static String dnsSubdomain(String name) {
        String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-")
                .replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
        String fitted = cleaned.equals(name) ? cleaned : cleaned + "-" + sha256(name).substring(0, 10);
        return fit(fitted, 253);
    }

    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}

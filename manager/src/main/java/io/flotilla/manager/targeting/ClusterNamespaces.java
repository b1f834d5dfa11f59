package io.flotilla.manager.targeting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** The per-cluster namespace that holds a cluster's BundleDeployments, computed as Fleet does (§5.1). */
public final class ClusterNamespaces {

    private static final int MAX_NAME_LENGTH = 63;
    private static final int KEY_HASH_INPUT_LIMIT = 100;

    private ClusterNamespaces() {
    }

    /** {@code cluster-<registrationNamespace>-<name>-<KeyHash(ns::name)>}, shortened like SafeConcatName. */
    public static String of(String registrationNamespace, String clusterName) {
        return safeConcatName("cluster", registrationNamespace, clusterName,
                keyHash(registrationNamespace + "::" + clusterName));
    }

    /** First 12 hex characters of sha256 of the first 100 bytes of {@code s}. */
    static String keyHash(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > KEY_HASH_INPUT_LIMIT) {
            bytes = Arrays.copyOf(bytes, KEY_HASH_INPUT_LIMIT);
        }
        return sha256Hex(bytes).substring(0, 12);
    }

    /**
     * Joins with {@code -}; a result of 64 characters or more keeps 57 characters plus {@code -} and 5 hex of its
     * sha256 when character 57 is {@code [a-z0-9]}, otherwise 56 characters plus {@code -} and 6 hex.
     */
    static String safeConcatName(String... parts) {
        String full = String.join("-", parts);
        if (full.length() <= MAX_NAME_LENGTH) {
            return full;
        }
        String digest = sha256Hex(full.getBytes(StandardCharsets.UTF_8));
        char c = full.charAt(56);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            return full.substring(0, 57) + "-" + digest.substring(0, 5);
        }
        return full.substring(0, 56) + "-" + digest.substring(0, 6);
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

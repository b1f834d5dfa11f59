package io.flotilla.bundle.reader;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Fleet's bundle naming (§2.4): the bundle id of a directory and its Helm-release-safe form. */
public final class BundleNames {

    /** Longest Helm release name, and so the longest bundle name Fleet derives. */
    public static final int MAX_HELM_RELEASE_NAME_LENGTH = 53;

    private static final Pattern DISALLOWED = Pattern.compile("[^a-zA-Z0-9-]+");
    private static final Pattern HELM_RELEASE_NAME =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern DASHES = Pattern.compile("-+");
    private static final int LIMIT_HASH_LENGTH = 5;

    private BundleNames() {
    }

    /**
     * The bundle id before sanitising: {@code repoName/dir}, plus {@code /<options file without extension>}
     * for a driven-scan entry with an options file; cleaned as Go's {@code filepath.Join} does.
     */
    public static String bundleId(String repoName, String dir, String optionsFile) {
        String id = GoPaths.join(repoName, dir);
        if (optionsFile != null && !optionsFile.isEmpty()) {
            String ext = GoPaths.ext(optionsFile);
            id = GoPaths.join(id, optionsFile.substring(0, optionsFile.length() - ext.length()));
        }
        return id;
    }

    /** The bundle name Fleet derives for a bundle directory: {@code helmReleaseName(bundleId(...))}. */
    public static String bundleName(String repoName, String dir, String optionsFile) {
        return helmReleaseName(bundleId(repoName, dir, optionsFile));
    }

    /**
     * Fleet's {@code names.HelmReleaseName}: {@code /} becomes {@code -}; input with upper case or other
     * disallowed characters gets an md5 suffix (so cleaning cannot make two ids collide); then lower-cased,
     * disallowed runs replaced by {@code -}, dashes collapsed and trimmed, and limited to 53 characters.
     * If no valid name remains, the first 24 hex digits of md5 of the input are used.
     */
    public static String helmReleaseName(String input) {
        String s = input.replace('/', '-');
        boolean needHash = !s.equals(s.toLowerCase(Locale.ROOT)) || DISALLOWED.matcher(s).find();
        if (needHash) {
            s = s + "-" + md5Hex(s, 8);
        }
        s = s.toLowerCase(Locale.ROOT);
        s = DISALLOWED.matcher(s).replaceAll("-");
        s = DASHES.matcher(s).replaceAll("-");
        s = trimDashes(s);
        if (HELM_RELEASE_NAME.matcher(s).matches() && DNS_LABEL.matcher(s).matches()) {
            return limit(s, MAX_HELM_RELEASE_NAME_LENGTH);
        }
        return md5Hex(input, 24);
    }

    /**
     * Fleet's {@code names.Limit}: strings longer than {@code count} keep their first {@code count-6}
     * characters, then {@code -} (left out when the kept part already ends with one) and the first five
     * hex digits of md5 of the whole string; for {@code count <= 6} the string is just cut.
     */
    public static String limit(String s, int count) {
        if (s.length() <= count) {
            return s;
        }
        if (count <= LIMIT_HASH_LENGTH + 1) {
            return s.substring(0, count);
        }
        int keep = count - LIMIT_HASH_LENGTH - 1;
        String separator = s.charAt(keep - 1) == '-' ? "" : "-";
        return s.substring(0, keep) + separator + md5Hex(s, LIMIT_HASH_LENGTH);
    }

    /** The first {@code length} hex digits of md5 of the UTF-8 bytes of {@code s}. */
    static String md5Hex(String s, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JCA algorithm", e);
        }
    }

    private static String trimDashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }
}

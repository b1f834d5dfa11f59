package io.flotilla.manager.git;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** String-level URL helpers: scheme check, credential redaction, cache directory names. */
final class GitUrls {
    private static final Set<String> SCHEMES = Set.of("https", "http", "ssh", "git", "file");
    /** {@code [user@]host:path} as git understands it (scp-like SSH), host without slashes. */
    private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/]+@)?[^/:@]+:(?!//).+$");
    private static final Pattern UNSAFE_DIR_CHARS = Pattern.compile("[^A-Za-z0-9._-]");

    private GitUrls() {
    }

    /** The scheme in lower case: {@code ssh} for scp-like URLs, {@code null} if the URL has none we support. */
    static String scheme(String url) {
        int sep = url.indexOf("://");
        if (sep > 0) {
            String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
            return SCHEMES.contains(scheme) ? scheme : null;
        }
        return SCP_LIKE.matcher(url).matches() ? "ssh" : null;
    }

    static boolean isHttp(String url) {
        String scheme = scheme(url);
        return "http".equals(scheme) || "https".equals(scheme);
    }

    /**
     * Removes secrets: for http(s) the whole user info (a token is often written as the user name), for other
     * schemes the password part.
     */
    static String redact(String url) {
        int sep = url.indexOf("://");
        if (sep < 0) {
            return url;
        }
        int authorityStart = sep + 3;
        int slash = url.indexOf('/', authorityStart);
        int authorityEnd = slash < 0 ? url.length() : slash;
        int at = url.lastIndexOf('@', authorityEnd - 1);
        if (at < authorityStart) {
            return url;
        }
        String userInfo = url.substring(authorityStart, at);
        String kept;
        if (isHttp(url)) {
            kept = "";
        } else {
            int colon = userInfo.indexOf(':');
            kept = (colon < 0 ? userInfo : userInfo.substring(0, colon)) + "@";
        }
        return url.substring(0, authorityStart) + kept + url.substring(at + 1);
    }

    /** The parts of the URL's user info that {@link #redact} removes (empty strings left out). */
    static List<String> secretsIn(String url) {
        String redacted = redact(url);
        if (redacted.equals(url)) {
            return List.of();
        }
        int authorityStart = url.indexOf("://") + 3;
        int slash = url.indexOf('/', authorityStart);
        String authority = url.substring(authorityStart, slash < 0 ? url.length() : slash);
        String userInfo = authority.substring(0, authority.lastIndexOf('@'));
        int colon = userInfo.indexOf(':');
        List<String> secrets = new ArrayList<>();
        if (colon >= 0 && colon + 1 < userInfo.length()) {
            secrets.add(userInfo.substring(colon + 1));
        }
        if (isHttp(url) && !userInfo.isEmpty() && colon != 0) {
            secrets.add(colon < 0 ? userInfo : userInfo.substring(0, colon));
        }
        return secrets;
    }

    /** {@code <sanitised repoKey>-<8 hex of sha256(url)>}: one cache directory per GitRepo and URL. */
    static String cacheDirName(String repoKey, String url) {
        String safeKey = UNSAFE_DIR_CHARS.matcher(repoKey).replaceAll("_");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return safeKey + "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}

package io.flotilla.manager.git;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

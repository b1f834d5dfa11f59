package io.flotilla.manager.git.webhook;

import java.util.Locale;

/**
 * Compares git URLs by the repository they name: {@code https://github.com/Org/Repo.git},
 * {@code git@github.com:org/repo} and {@code ssh://git@GitHub.com:22/org/repo/} are the same repository.
 * Scheme, user, port, a trailing {@code .git} or slash and letter case are ignored; a false match only costs an
 * extra check of the remote.
 */
public final class RepoUrls {
    private RepoUrls() {
    }

    /** {@code host/path} in lower case, or {@code null} for text that is not a git URL. */
    public static String normalise(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String s = url.trim();
        String host;
        String path;
        int sep = s.indexOf("://");
        if (sep >= 0) {
            String rest = s.substring(sep + 3);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            path = slash < 0 ? "" : rest.substring(slash + 1);
            host = withoutPort(authority.substring(authority.lastIndexOf('@') + 1));
        } else {
            int colon = s.indexOf(':');
            if (colon < 0 || s.indexOf('/') >= 0 && s.indexOf('/') < colon) {
                return null;
            }
            host = s.substring(s.lastIndexOf('@', colon) + 1, colon);
            path = s.substring(colon + 1);
        }
        path = trimSlashes(path);
        if (path.endsWith(".git")) {
            path = trimSlashes(path.substring(0, path.length() - 4));
        }
        if (host.isEmpty() || path.isEmpty()) {
            return null;
        }
        return (host + "/" + path).toLowerCase(Locale.ROOT);
    }

    public static boolean sameRepository(String a, String b) {
        String na = normalise(a);
        return na != null && na.equals(normalise(b));
    }

    private static String withoutPort(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? hostPort : hostPort.substring(0, close + 1);
        }
        int colon = hostPort.indexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}

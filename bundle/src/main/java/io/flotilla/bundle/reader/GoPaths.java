package io.flotilla.bundle.reader;

import java.util.ArrayList;
import java.util.List;

/** Go's {@code path/filepath} string helpers on Unix, so bundle ids are built from the same strings as Fleet's. */
final class GoPaths {

    private GoPaths() {
    }

    /** {@code filepath.Clean}: the shortest lexically equivalent path; {@code ""} becomes {@code "."}. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!rooted) {
                    out.add(part);
                }
                continue;
            }
            out.add(part);
        }
        String joined = String.join("/", out);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** {@code filepath.Join}: joins the non-empty elements with {@code /} and cleans the result. */
    static String join(String... elements) {
        List<String> parts = new ArrayList<>();
        for (String e : elements) {
            if (!e.isEmpty()) {
                parts.add(e);
            }
        }
        return parts.isEmpty() ? "" : clean(String.join("/", parts));
    }

    /** {@code filepath.Ext}: the suffix from the last dot of the last element, or {@code ""}. */
    static String ext(String path) {
        for (int i = path.length() - 1; i >= 0 && path.charAt(i) != '/'; i--) {
            if (path.charAt(i) == '.') {
                return path.substring(i);
            }
        }
        return "";
    }

    /** {@code filepath.Base}: the last element, ignoring trailing slashes. */
    static String base(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        String b = slash >= 0 && p.length() > 1 ? p.substring(slash + 1) : p;
        return b.isEmpty() ? "/" : b;
    }

    /** Whether a cleaned relative path climbs above its starting directory. */
    static boolean escapes(String cleanedRelative) {
        return cleanedRelative.equals("..") || cleanedRelative.startsWith("../") || cleanedRelative.startsWith("/");
    }
}

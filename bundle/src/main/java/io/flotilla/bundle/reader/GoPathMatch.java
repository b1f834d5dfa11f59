package io.flotilla.bundle.reader;

/**
 * Go's {@code path/filepath.Match} on Unix: {@code *} matches any run of non-{@code /} characters,
 * {@code ?} one non-{@code /} character, {@code [...]} a character class ({@code ^} negates,
 * {@code a-z} ranges), {@code \} escapes. Fleet uses it for {@code .fleetignore} lines and path globs,
 * so Flotilla matches the same names Fleet does.
 */
public final class GoPathMatch {

    private GoPathMatch() {
    }

    /** Thrown for a malformed pattern (Go's {@code ErrBadPattern}). */
    public static final class BadPatternException extends IllegalArgumentException {
        BadPatternException(String pattern) {
            super("syntax error in pattern: " + pattern);
        }
    }

    /** Whether the pattern contains any of Go's glob meta characters. */
    public static boolean hasMeta(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /** Throws {@link BadPatternException} if the pattern is malformed, as Go reports on any match attempt. */
    public static void validate(String pattern) {
        matches(pattern, "");
    }

    /** Whether {@code name} matches the whole {@code pattern}; a malformed pattern throws. */
    public static boolean matches(String pattern, String name) {
        String p = pattern;
        String n = name;
        outer:
        while (!p.isEmpty()) {
            Chunk c = scanChunk(p);
            p = c.rest;
            if (c.star && c.chunk.isEmpty()) {
                // a trailing * matches the rest of the name unless it holds a separator
                return n.indexOf('/') < 0;
            }
            String t = matchChunk(pattern, c.chunk, n);
            if (t != null && (t.isEmpty() || !p.isEmpty())) {
                n = t;
                continue;
            }
            if (c.star) {
                for (int i = 0; i < n.length() && n.charAt(i) != '/'; i++) {
                    t = matchChunk(pattern, c.chunk, n.substring(i + 1));
                    if (t != null) {
                        if (p.isEmpty() && !t.isEmpty()) {
                            continue;
                        }
                        n = t;
                        continue outer;
                    }
                }
            }
            // Go checks the rest of the pattern before answering false
            while (!p.isEmpty()) {
                Chunk rest = scanChunk(p);
                p = rest.rest;
                matchChunk(pattern, rest.chunk, "");
            }
            return false;
        }
        return n.isEmpty();
    }

    private record Chunk(boolean star, String chunk, String rest) {
    }

    private static Chunk scanChunk(String pattern) {
        boolean star = false;
        int start = 0;
        while (start < pattern.length() && pattern.charAt(start) == '*') {
            start++;
            star = true;
        }
        boolean inRange = false;
        int i = start;
        scan:
        for (; i < pattern.length(); i++) {
            switch (pattern.charAt(i)) {
                case '\\' -> {
                    if (i + 1 < pattern.length()) {
                        i++;
                    }
                }
                case '[' -> inRange = true;
                case ']' -> inRange = false;
                case '*' -> {
                    if (!inRange) {
                        break scan;
                    }
                }
                default -> {
                }
            }
        }
        return new Chunk(star, pattern.substring(start, i), pattern.substring(i));
    }

    /** Returns the rest of {@code s} after the chunk matched its start, or null when it did not match. */
    private static String matchChunk(String pattern, String chunk, String s) {
        boolean failed = false;
        int ci = 0;
        int si = 0;
        while (ci < chunk.length()) {
            if (!failed && si >= s.length()) {
                failed = true;
            }
            char c = chunk.charAt(ci);
            if (c == '[') {
                int r = -1;
                if (!failed) {
                    r = s.codePointAt(si);
                    si += Character.charCount(r);
                }
                ci++;
                boolean negated = false;
                if (ci < chunk.length() && chunk.charAt(ci) == '^') {
                    negated = true;
                    ci++;
                }
                boolean match = false;
                int ranges = 0;
                while (true) {
                    if (ci < chunk.length() && chunk.charAt(ci) == ']' && ranges > 0) {
                        ci++;
                        break;
                    }
                    int[] lo = escaped(pattern, chunk, ci);
                    ci = lo[1];
                    int hi = lo[0];
                    if (chunk.charAt(ci) == '-') {
                        int[] h = escaped(pattern, chunk, ci + 1);
                        ci = h[1];
                        hi = h[0];
                    }
                    if (lo[0] <= r && r <= hi) {
                        match = true;
                    }
                    ranges++;
                }
                if (match == negated) {
                    failed = true;
                }
            } else if (c == '?') {
                if (!failed) {
                    if (s.charAt(si) == '/') {
                        failed = true;
                    }
                    si += Character.charCount(s.codePointAt(si));
                }
                ci++;
            } else {
                if (c == '\\') {
                    ci++;
                    if (ci >= chunk.length()) {
                        throw new BadPatternException(pattern);
                    }
                }
                if (!failed) {
                    if (chunk.charAt(ci) != s.charAt(si)) {
                        failed = true;
                    }
                    si++;
                }
                ci++;
            }
        }
        return failed ? null : s.substring(si);
    }

    /** Reads one (possibly escaped) character of a class: {code point, index after it}. */
    private static int[] escaped(String pattern, String chunk, int i) {
        if (i >= chunk.length() || chunk.charAt(i) == '-' || chunk.charAt(i) == ']') {
            throw new BadPatternException(pattern);
        }
        if (chunk.charAt(i) == '\\') {
            i++;
            if (i >= chunk.length()) {
                throw new BadPatternException(pattern);
            }
        }
        int r = chunk.codePointAt(i);
        int next = i + Character.charCount(r);
        if (next >= chunk.length()) {
            throw new BadPatternException(pattern);
        }
        return new int[] {r, next};
    }
}

package io.flotilla.bundle.reader;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The patterns of the {@code .fleetignore} files that apply to one directory: its own and its ancestors'
 * within the bundle (Fleet's ignore tree). As in Fleet, each line is a Go glob matched against an entry's
 * base name only; a line {@code name/*} ignores a directory called {@code name}; blank lines and lines
 * starting with {@code #} are skipped; trailing blanks are dropped unless escaped. There is no negation:
 * {@code !x} matches an entry literally named {@code !x}.
 */
public final class FleetIgnore {

    public static final String FILE_NAME = ".fleetignore";

    private static final Pattern TRAILING_BLANKS = Pattern.compile("([^\\\\])[\\t\\n\\f\\r ]+$");
    private static final Pattern DIRECTORY_PATTERN = Pattern.compile("^.+/\\*");

    private static final FleetIgnore NONE = new FleetIgnore(List.of());

    private final List<String> patterns;

    private FleetIgnore(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** No patterns: nothing is ignored. */
    public static FleetIgnore none() {
        return NONE;
    }

    /** The patterns in force, outermost first. */
    public List<String> patterns() {
        return patterns;
    }

    /**
     * These patterns plus the lines of a {@code .fleetignore} found in a sub-directory.
     *
     * @param source names the file in the error for a malformed pattern
     * @throws BundleReadException naming {@code source} and the line of a malformed pattern
     */
    public FleetIgnore withFile(String content, String source) {
        List<String> all = new ArrayList<>(patterns);
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            line = TRAILING_BLANKS.matcher(line).replaceAll("$1");
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!isDirectoryPattern(line)) {
                try {
                    GoPathMatch.validate(line);
                } catch (GoPathMatch.BadPatternException e) {
                    throw new BundleReadException(source + ":" + (i + 1) + ": " + e.getMessage());
                }
            }
            all.add(line);
        }
        return all.size() == patterns.size() ? this : new FleetIgnore(all);
    }

    /** Whether the entry with this base name is ignored. */
    public boolean ignores(String baseName, boolean directory) {
        for (String pattern : patterns) {
            if (isDirectoryPattern(pattern)) {
                if (directory && pattern.endsWith("/*")
                        && pattern.substring(0, pattern.length() - 2).equals(baseName)) {
                    return true;
                }
            } else if (GoPathMatch.matches(pattern, baseName)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDirectoryPattern(String pattern) {
        return DIRECTORY_PATTERN.matcher(pattern).find();
    }
}

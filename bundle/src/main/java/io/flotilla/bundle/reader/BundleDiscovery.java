package io.flotilla.bundle.reader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The classic scan (§2.2.1): which directories of a checkout become bundles for a GitRepo's {@code paths}.
 * Each path is a Go glob relative to the checkout root (leading {@code /} stripped); every matching
 * directory is walked in lexical order, skipping {@code .git} and not following symlinked directories.
 * The walk root is a bundle if it holds a fleet.yaml/fleet.yml or if it or any sub-directory without its
 * own fleet.yaml holds a {@code *.yaml}/{@code *.yml} file; any other directory is a bundle iff it holds
 * a fleet.yaml/fleet.yml.
 */
final class BundleDiscovery {

    static final String FLEET_YAML = "fleet.yaml";
    static final String FLEET_YML = "fleet.yml";

    private final Path root;

    private BundleDiscovery(Path root) {
        this.root = root;
    }

    /** The bundle directories for these paths, as cleaned paths relative to {@code root}, in scan order. */
    static List<String> bundleDirs(Path root, List<String> paths) {
        BundleDiscovery discovery = new BundleDiscovery(root);
        List<String> dirs = new ArrayList<>();
        for (String path : paths.isEmpty() ? List.of(".") : paths) {
            for (String match : discovery.globDirs(path)) {
                discovery.walk(match, true, dirs);
            }
        }
        return dirs;
    }

    /** The fleet.yaml of a directory, else its fleet.yml, else null (both may be symlinks). */
    static String fleetYamlName(Path dir) {
        if (Files.exists(dir.resolve(FLEET_YAML))) {
            return FLEET_YAML;
        }
        if (Files.exists(dir.resolve(FLEET_YML))) {
            return FLEET_YML;
        }
        return null;
    }

    private List<String> globDirs(String path) {
        String pattern = path;
        while (pattern.startsWith("/")) {
            pattern = pattern.substring(1);
        }
        for (String part : pattern.split("/")) {
            if (part.equals("..")) {
                throw new BundleReadException("invalid path " + path + ": paths must stay inside the repository");
            }
        }
        List<String> matches;
        try {
            matches = glob(pattern.isEmpty() ? "." : pattern);
        } catch (GoPathMatch.BadPatternException e) {
            throw new BundleReadException("invalid path glob " + path + ": " + e.getMessage(), e);
        }
        return matches.stream().filter(m -> Files.isDirectory(resolve(m))).toList();
    }

    /** Go's {@code filepath.Glob} relative to the checkout root. */
    private List<String> glob(String pattern) {
        GoPathMatch.validate(pattern);
        if (!GoPathMatch.hasMeta(pattern)) {
            return Files.exists(resolve(pattern), LinkOption.NOFOLLOW_LINKS) ? List.of(pattern) : List.of();
        }
        int slash = pattern.lastIndexOf('/');
        String dir = slash < 0 ? "." : slash == 0 ? "/" : pattern.substring(0, slash);
        String file = pattern.substring(slash + 1);
        List<String> matches = new ArrayList<>();
        if (!GoPathMatch.hasMeta(dir)) {
            globIn(dir, file, matches);
            return matches;
        }
        for (String d : glob(dir)) {
            globIn(d, file, matches);
        }
        return matches;
    }

    private void globIn(String dir, String filePattern, List<String> matches) {
        Path d = resolve(dir);
        if (!Files.isDirectory(d)) {
            return;
        }
        for (String name : sortedNames(d, dir)) {
            if (GoPathMatch.matches(filePattern, name)) {
                matches.add(GoPaths.join(dir, name));
            }
        }
    }

    private void walk(String dir, boolean walkRoot, List<String> bundles) {
        Path path = resolve(dir);
        if (GoPaths.base(dir).equals(".git") && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        boolean bundle = walkRoot
                ? fleetYamlName(path) != null || hasYamlOutsideSubBundles(path)
                : fleetYamlName(path) != null;
        if (bundle) {
            bundles.add(GoPaths.clean(dir));
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (String name : sortedNames(path, dir)) {
            if (Files.isDirectory(path.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                walk(GoPaths.join(dir, name), false, bundles);
            }
        }
    }

    /**
     * Fleet's root-bundle test: this directory, or a sub-directory reached without passing one that has its
     * own fleet.yaml, holds a {@code *.yaml}/{@code *.yml} file. Hidden directories are looked into too.
     */
    private boolean hasYamlOutsideSubBundles(Path dir) {
        if (fleetYamlName(dir) != null) {
            return false;
        }
        for (String name : sortedNames(dir, dir.toString())) {
            Path child = dir.resolve(name);
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                if (hasYamlOutsideSubBundles(child)) {
                    return true;
                }
            } else {
                String ext = GoPaths.ext(name);
                if (ext.equals(".yaml") || ext.equals(".yml")) {
                    return true;
                }
            }
        }
        return false;
    }

    private Path resolve(String relative) {
        return relative.equals(".") ? root : root.resolve(relative);
    }

    private static List<String> sortedNames(Path dir, String display) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new BundleReadException("cannot list " + display + ": " + e.getMessage(), e);
        }
    }
}

package io.flotilla.bundle.reader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Lists the files of one bundle directory that become its resources (§2.3): every regular file of the
 * subtree, named by its {@code /}-separated path relative to the bundle directory, except hidden files and
 * directories, entries matched by {@code .fleetignore} files, and the given excluded names (options file,
 * values files). Symlinks are followed when their target stays inside the bundle directory; one that points
 * outside it is an error naming the link.
 */
final class BundleFiles {

    /** A file to read: its resource name, where its bytes are, and how many there are. */
    record Entry(String name, Path file, long size) {
    }

    private final Path realRoot;
    private final String displayDir;
    private final Set<String> excluded;
    private final List<Entry> entries = new ArrayList<>();

    private BundleFiles(Path realRoot, String displayDir, Set<String> excluded) {
        this.realRoot = realRoot;
        this.displayDir = displayDir;
        this.excluded = excluded;
    }

    /**
     * @param bundleDir  the bundle directory on disk
     * @param displayDir the bundle directory relative to the checkout, for messages
     * @param excluded   resource names (relative paths) that are left out
     * @return the entries, sorted by name
     */
    static List<Entry> list(Path bundleDir, String displayDir, Set<String> excluded) {
        Path realRoot;
        try {
            realRoot = bundleDir.toRealPath();
        } catch (IOException e) {
            throw new BundleReadException("cannot read bundle directory " + displayDir + ": " + e.getMessage(), e);
        }
        BundleFiles files = new BundleFiles(realRoot, displayDir, excluded);
        Set<Path> open = new HashSet<>();
        open.add(realRoot);
        files.walk(bundleDir, "", FleetIgnore.none(), open);
        files.entries.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(files.entries);
    }

    /**
     * Resolves {@code name}, a path relative to the bundle directory that may be or pass through a symlink, to
     * its real path, failing if that lies outside the bundle directory.
     */
    static Path resolveInside(Path bundleDir, String displayDir, String name) {
        Path realRoot;
        try {
            realRoot = bundleDir.toRealPath();
        } catch (IOException e) {
            throw new BundleReadException("cannot read bundle directory " + displayDir + ": " + e.getMessage(), e);
        }
        return new BundleFiles(realRoot, displayDir, Set.of()).realInside(bundleDir.resolve(name), name);
    }

    private void walk(Path dir, String prefix, FleetIgnore inherited, Set<Path> open) {
        FleetIgnore ignore = withIgnoreFile(dir, prefix, inherited);
        for (Path child : sortedChildren(dir, prefix)) {
            String name = child.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            String rel = prefix + name;
            boolean directory = Files.isDirectory(child);
            if (ignore.ignores(name, directory) || !directory && excluded.contains(rel)) {
                continue;
            }
            boolean link = Files.isSymbolicLink(child);
            Path real = link ? realInside(child, rel) : child;
            if (directory) {
                Path realDir = link ? real : realOf(child, rel);
                if (!open.add(realDir)) {
                    throw new BundleReadException("symlink loop at " + display(rel) + " in bundle directory " + displayDir);
                }
                walk(child, rel + "/", ignore, open);
                open.remove(realDir);
            } else if (Files.isRegularFile(real)) {
                entries.add(new Entry(rel, real, sizeOf(real, rel)));
            }
        }
    }

    private FleetIgnore withIgnoreFile(Path dir, String prefix, FleetIgnore inherited) {
        Path file = dir.resolve(FleetIgnore.FILE_NAME);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return inherited;
        }
        String rel = prefix + FleetIgnore.FILE_NAME;
        Path real = realInside(file, rel);
        if (!Files.isRegularFile(real)) {
            return inherited;
        }
        try {
            return inherited.withFile(Files.readString(real, StandardCharsets.UTF_8), display(rel));
        } catch (IOException e) {
            throw new BundleReadException("cannot read " + display(rel) + ": " + e.getMessage(), e);
        }
    }

    private Path realInside(Path path, String rel) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            Path lexical = lexicalTarget(path, rel);
            if (!lexical.startsWith(realRoot)) {
                throw escape(path, rel);
            }
            throw new BundleReadException("symlink " + display(rel) + " points to a missing file: " + linkText(path, rel));
        } catch (IOException e) {
            throw new BundleReadException("cannot read " + display(rel) + ": " + e.getMessage(), e);
        }
        if (!real.startsWith(realRoot)) {
            throw escape(path, rel);
        }
        return real;
    }

    private Path lexicalTarget(Path link, String rel) {
        try {
            Path parent = link.getParent().toRealPath();
            return parent.resolve(Files.readSymbolicLink(link)).normalize();
        } catch (IOException | UnsupportedOperationException e) {
            throw new BundleReadException("cannot read " + display(rel) + ": " + e.getMessage(), e);
        }
    }

    private BundleReadException escape(Path link, String rel) {
        return new BundleReadException("symlink " + display(rel) + " points outside the bundle directory "
                + displayDir + ": " + linkText(link, rel));
    }

    private String linkText(Path link, String rel) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return rel;
        }
    }

    private Path realOf(Path dir, String rel) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new BundleReadException("cannot read " + display(rel) + ": " + e.getMessage(), e);
        }
    }

    private List<Path> sortedChildren(Path dir, String prefix) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new BundleReadException("cannot list " + display(prefix.isEmpty() ? "." : prefix) + ": "
                    + e.getMessage(), e);
        }
    }

    private long sizeOf(Path file, String rel) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new BundleReadException("cannot read " + display(rel) + ": " + e.getMessage(), e);
        }
    }

    private String display(String rel) {
        return displayDir.equals(".") ? rel : displayDir + "/" + rel;
    }
}

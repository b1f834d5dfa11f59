package io.flotilla.bundle.reader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds checkout trees for tests from {@code "path"} or {@code "path=content"} entries. */
final class Trees {

    static final String MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n";

    private Trees() {
    }

    static Path write(Path root, String... entries) {
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String path = eq < 0 ? entry : entry.substring(0, eq);
            String content = eq < 0 ? MANIFEST : entry.substring(eq + 1);
            file(root, path, content);
        }
        return root;
    }

    static Path file(Path root, String path, String content) {
        return bytes(root, path, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path bytes(Path root, String path, byte[] content) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void link(Path root, String link, String target) {
        try {
            Path l = root.resolve(link);
            Files.createDirectories(l.getParent());
            Files.createSymbolicLink(l, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

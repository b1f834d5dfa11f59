package io.flotilla.bundle.render;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Lets {@code helm template} render a chart's hooks. Helm keeps objects annotated {@code helm.sh/hook} apart from
 * the release manifest, and helm-java's {@code template} returns only that manifest, so hooks (pre-install Jobs,
 * test Pods...) would silently disappear. Before rendering, a copy of the chart (subchart archives that mention
 * hooks unpacked) and of the values file get every {@code helm.sh/hook} replaced by a stand-in key Helm does not
 * know; Helm then renders hooks as ordinary manifests, and the stand-in is replaced back in the output. The agent
 * runs the hooks in their phases; the renderer only keeps them. Charts that never mention hooks are rendered as
 * they are, without a copy.
 */
final class HookStandIns {
    static final String HOOK = "helm.sh/hook";
    /** Replaces {@link #HOOK} everywhere, so {@code helm.sh/hook-weight} becomes {@code flotilla.io/helm-hook-weight}. */
    static final String STAND_IN = "flotilla.io/helm-hook";

    private static final byte[] HOOK_BYTES = HOOK.getBytes(StandardCharsets.UTF_8);

    private HookStandIns() {
    }

    /**
     * The chart to render: {@code chartDir} itself when no file of it mentions hooks, else a copy under
     * {@code workDir} with stand-ins.
     */
    static Path chart(Path chartDir, Path workDir) throws IOException {
        if (!mentionsHooks(chartDir)) {
            return chartDir;
        }
        Path copy = Files.createTempDirectory(workDir, "chart-hooks-").resolve(chartDir.getFileName() == null
                ? "chart" : chartDir.getFileName().toString());
        copyTree(chartDir, copy);
        unpackSubchartArchives(copy);
        try (Stream<Path> walk = Files.walk(copy)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                if (contains(bytes, HOOK_BYTES)) {
                    Files.writeString(file, replace(new String(bytes, StandardCharsets.UTF_8)));
                }
            }
        }
        return copy;
    }

    /** The values file to render with: itself, or a copy with stand-ins when it mentions hooks. */
    static Path values(Path valuesFile, Path workDir) throws IOException {
        if (valuesFile == null) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(valuesFile);
        if (!contains(bytes, HOOK_BYTES)) {
            return valuesFile;
        }
        Path copy = Files.createTempFile(workDir, "values-hooks-", ".yaml");
        Files.writeString(copy, replace(new String(bytes, StandardCharsets.UTF_8)));
        return copy;
    }

    /** Helm's output with the hook annotations back under their own names. */
    static String restore(String rendered) {
        return rendered == null ? null : rendered.replace(STAND_IN, HOOK);
    }

    private static String replace(String text) {
        return text.replace(HOOK, STAND_IN);
    }

    private static boolean mentionsHooks(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                if (contains(bytes, HOOK_BYTES) || isArchive(file) && contains(gunzip(bytes), HOOK_BYTES)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : walk.toList()) {
                Path dest = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(dest);
                } else if (Files.isRegularFile(path)) {
                    Files.copy(path, dest);
                }
            }
        }
    }

    /**
     * Replaces each {@code charts/*.tgz} that mentions hooks by its unpacked chart directory (Helm loads both
     * forms), at any depth; an archive whose chart directory already exists next to it is left packed.
     */
    private static void unpackSubchartArchives(Path chart) throws IOException {
        boolean unpacked = true;
        while (unpacked) {
            unpacked = false;
            List<Path> archives = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(chart)) {
                walk.filter(Files::isRegularFile).filter(HookStandIns::isArchive)
                        .filter(p -> p.getParent() != null && p.getParent().getFileName() != null
                                && "charts".equals(p.getParent().getFileName().toString()))
                        .forEach(archives::add);
            }
            for (Path archive : archives) {
                byte[] bytes = Files.readAllBytes(archive);
                if (!contains(gunzip(bytes), HOOK_BYTES)) {
                    continue;
                }
                Path scratch = Files.createTempDirectory(archive.getParent(), ".unpack-");
                Path subchart = TarGz.extractChart(bytes, scratch);
                Path target = archive.getParent().resolve(subchart.getFileName().toString());
                if (!subchart.equals(scratch) && !Files.exists(target)) {
                    Files.move(subchart, target);
                    Files.delete(archive);
                    unpacked = true;
                }
                deleteRecursively(scratch);
            }
        }
    }

    private static boolean isArchive(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".tgz") || name.endsWith(".tar.gz");
    }

    private static byte[] gunzip(byte[] bytes) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException notGzip) {
            return new byte[0];
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

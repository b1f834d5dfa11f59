package io.flotilla.bundle.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The plain CRD manifests of a chart's {@code crds/} directory and of its vendored dependencies
 * ({@code charts/<dir>} or {@code charts/<name>.tgz}). {@code helm install} applies them before the templates, but
 * {@code helm template} leaves them out; Flotilla applies the objects itself, so it adds them.
 */
final class ChartCrds {

    private ChartCrds() {
    }

    /**
     * @param chartDir the chart on disk
     * @param prefix put before the chart's file names in errors ({@code ""} or a path ending in {@code /})
     * @param scratch an empty directory for unpacking dependency archives
     */
    static List<ManifestObject> collect(Path chartDir, String prefix, Path scratch) throws RenderException {
        List<ManifestObject> objects = new ArrayList<>();
        try {
            Path crds = chartDir.resolve("crds");
            if (Files.isDirectory(crds)) {
                for (Path file : files(crds)) {
                    String name = prefix + chartDir.relativize(file).toString().replace('\\', '/');
                    objects.addAll(ManifestParser.parseFile(name, Files.readString(file)));
                }
            }
            Path dependencies = chartDir.resolve("charts");
            if (Files.isDirectory(dependencies)) {
                for (Path dependency : children(dependencies)) {
                    String name = dependency.getFileName().toString();
                    if (Files.isDirectory(dependency) && Files.isRegularFile(dependency.resolve(BundleStyle.CHART_YAML))) {
                        objects.addAll(collect(dependency, prefix + "charts/" + name + "/", scratch));
                    } else if (name.endsWith(".tgz")) {
                        Path unpacked = Files.createTempDirectory(scratch, "dependency-");
                        Path chart = TarGz.extractChart(Files.readAllBytes(dependency), unpacked);
                        objects.addAll(collect(chart, prefix + "charts/" + name + "/", scratch));
                    }
                }
            }
        } catch (IOException e) {
            throw RenderException.inFile(prefix.isEmpty() ? "." : prefix, null, "cannot read the chart's CRDs: " + e.getMessage(), e);
        }
        return objects;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).filter(ChartCrds::isManifest).sorted().toList();
        }
    }

    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.sorted().toList();
        }
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}

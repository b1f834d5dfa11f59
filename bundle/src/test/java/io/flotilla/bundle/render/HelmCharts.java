package io.flotilla.bundle.render;

import com.marcnuri.helm.Helm;
import io.flotilla.bundle.options.BundleResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds chart archives for tests with {@code helm package}. */
final class HelmCharts {

    private HelmCharts() {
    }

    /** Writes the chart files under {@code dir}/chart and packages them; returns the archive. */
    static Path packageChart(Path dir, Map<String, String> files) throws IOException {
        Path chart = dir.resolve("chart");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = chart.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        new Helm(chart).packageIt().withDestination(out).call();
        try (var archives = Files.list(out)) {
            return archives.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElseThrow();
        }
    }

    /** A bundle resource for a binary file, encoded {@code base64+gz} as bundles store non-UTF-8 content. */
    static BundleResource binaryResource(String name, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(Files.readAllBytes(file));
        }
        return new BundleResource(name, Base64.getEncoder().encodeToString(bytes.toByteArray()),
                BundleResource.ENCODING_BASE64_GZ);
    }
}

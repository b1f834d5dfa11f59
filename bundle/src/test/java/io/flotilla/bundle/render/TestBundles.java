package io.flotilla.bundle.render;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flotilla.bundle.options.BundleResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Builds bundle resources and render contexts for tests. */
final class TestBundles {

    /** A runner for bundles that must not reach kustomize. */
    static final KustomizeRunner NO_KUSTOMIZE = dir -> {
        throw new AssertionError("kustomize must not run for this bundle");
    };

    /** A chart source for bundles that must not fetch charts. */
    static final ChartSource NO_CHARTS = (chart, destination) -> {
        throw new AssertionError("no chart must be fetched for this bundle: " + chart);
    };

    private TestBundles() {
    }

    /** Resources from alternating name, content arguments. */
    static List<BundleResource> of(String... nameAndContent) {
        List<BundleResource> resources = new ArrayList<>();
        for (int i = 0; i < nameAndContent.length; i += 2) {
            resources.add(BundleResource.plain(nameAndContent[i], nameAndContent[i + 1]));
        }
        return resources;
    }

    /** Every file under {@code dir}, named relative to it. */
    static List<BundleResource> fromDirectory(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<BundleResource> resources = new ArrayList<>();
            for (Path file : paths.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(file).toString().replace('\\', '/');
                resources.add(BundleResource.plain(name, Files.readString(file)));
            }
            return resources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory under src/test/resources/render. */
    static Path fixture(String name) {
        try {
            return Path.of(TestBundles.class.getResource("/render/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Skips the calling test, saying why, when neither kustomize nor kubectl is on PATH. */
    static void assumeKustomize() {
        boolean available;
        try {
            ProcessKustomizeRunner.fromEnvironment().command(Path.of("."));
            available = true;
        } catch (RenderException e) {
            available = false;
        }
        assumeTrue(available, "neither 'kustomize' nor 'kubectl' is on PATH: kustomize renders skipped");
    }

    static RenderContext context(Path workDir) {
        return RenderContext.of("release", workDir, NO_KUSTOMIZE);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.get("metadata");
    }

    static String name(Map<String, Object> object) {
        return (String) metadata(object).get("name");
    }

    static String namespace(Map<String, Object> object) {
        return (String) metadata(object).get("namespace");
    }

    /** {@code Kind/name} of each object. */
    static List<String> ids(RenderedBundle rendered) {
        return rendered.objects().stream().map(o -> o.get("kind") + "/" + name(o)).toList();
    }

    /** The object of that kind and name. */
    static Map<String, Object> find(RenderedBundle rendered, String kind, String name) {
        return rendered.objects().stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(name(o)))
                .findFirst().orElseThrow(() -> new AssertionError(kind + "/" + name + " not in " + ids(rendered)));
    }

    /** Value at a dotted path of maps, e.g. {@code spec.replicas}. */
    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> object, String path) {
        Object current = object;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(key);
        }
        return current;
    }
}

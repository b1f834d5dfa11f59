package io.flotilla.bundle.render;

import io.flotilla.bundle.options.BundleResource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/** The decoded files of a bundle by path relative to the bundle root, sorted by path. */
final class BundleFiles {

    private final SortedMap<String, byte[]> files;

    private BundleFiles(SortedMap<String, byte[]> files) {
        this.files = files;
    }

    static BundleFiles decode(List<BundleResource> resources) throws RenderException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (BundleResource resource : resources) {
            String name = checkedName(resource.name());
            files.put(name, content(name, resource));
        }
        return new BundleFiles(files);
    }

    static BundleFiles of(SortedMap<String, byte[]> files) {
        return new BundleFiles(new TreeMap<>(files));
    }

    SortedMap<String, byte[]> asMap() {
        return Collections.unmodifiableSortedMap(files);
    }

    boolean contains(String name) {
        return files.containsKey(name);
    }

    byte[] bytes(String name) {
        return files.get(name);
    }

    String text(String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    /** Writes every file under {@code root}. */
    void writeTo(Path root) throws RenderException {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = root.resolve(file.getKey());
            try {
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            } catch (IOException e) {
                throw RenderException.inFile(file.getKey(), null, "cannot write to " + target + ": " + e.getMessage(), e);
            }
        }
    }

    /** Resource names are relative paths with {@code /} separators that stay inside the bundle. */
    private static String checkedName(String name) throws RenderException {
        if (name == null || name.isBlank()) {
            throw RenderException.inFile(null, null, "a bundle resource has no name");
        }
        String normalized = name.startsWith("./") ? name.substring(2) : name;
        if (normalized.startsWith("/") || normalized.contains("\\") || normalized.endsWith("/")) {
            throw RenderException.inFile(name, null, "resource names must be relative file paths");
        }
        for (String segment : normalized.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw RenderException.inFile(name, null, "resource names must be relative file paths inside the bundle");
            }
        }
        return normalized;
    }

    private static byte[] content(String name, BundleResource resource) throws RenderException {
        String content = resource.content() == null ? "" : resource.content();
        String encoding = resource.encoding();
        if (encoding == null || encoding.isEmpty()) {
            return content.getBytes(StandardCharsets.UTF_8);
        }
        if (!BundleResource.ENCODING_BASE64_GZ.equals(encoding)) {
            throw RenderException.inFile(name, null, "unknown resource encoding \"" + encoding + "\" (expected \"\" or \""
                    + BundleResource.ENCODING_BASE64_GZ + "\")");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getMimeDecoder().decode(content)))) {
            return in.readAllBytes();
        } catch (IOException | IllegalArgumentException e) {
            throw RenderException.inFile(name, null, "cannot decode base64+gz content: " + e.getMessage(), e);
        }
    }
}

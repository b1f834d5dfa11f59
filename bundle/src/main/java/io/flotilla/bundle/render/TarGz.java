package io.flotilla.bundle.render;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a gzip-compressed tar archive (a Helm chart package): regular files and directories, with ustar
 * prefixes, GNU long names and PAX {@code path} records. Links and other entry types are skipped; entries that
 * would land outside the destination are refused.
 */
final class TarGz {

    private static final int BLOCK = 512;

    private TarGz() {
    }

    /**
     * Unpacks a chart archive into {@code destination}.
     *
     * @return the directory holding Chart.yaml: the destination itself or its first subdirectory that has one
     */
    static Path extractChart(byte[] archive, Path destination) throws IOException {
        extract(new ByteArrayInputStream(archive), destination);
        if (Files.isRegularFile(destination.resolve(BundleStyle.CHART_YAML))) {
            return destination;
        }
        try (Stream<Path> children = Files.list(destination)) {
            for (Path child : children.sorted().toList()) {
                if (Files.isRegularFile(child.resolve(BundleStyle.CHART_YAML))) {
                    return child;
                }
            }
        }
        throw new IOException("the archive holds no Chart.yaml");
    }

    private static void extract(InputStream compressed, Path destination) throws IOException {
        Path root = destination.toAbsolutePath().normalize();
        try (InputStream in = new GZIPInputStream(compressed)) {
            String pendingName = null;
            byte[] header = new byte[BLOCK];
            while (readFully(in, header)) {
                if (isZero(header)) {
                    return;
                }
                String name = string(header, 0, 100);
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty() && isUstar(header)) {
                    name = prefix + "/" + name;
                }
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                byte[] data = readEntry(in, size);
                switch (type) {
                    case 'L' -> pendingName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                    case 'x' -> pendingName = paxPath(data, pendingName);
                    case '0', '\0', '5' -> {
                        String entryName = pendingName != null ? pendingName : name;
                        pendingName = null;
                        Path target = root.resolve(entryName).normalize();
                        if (!target.startsWith(root)) {
                            throw new IOException("archive entry escapes the destination: " + entryName);
                        }
                        if (type == '5' || entryName.endsWith("/")) {
                            Files.createDirectories(target);
                        } else {
                            Files.createDirectories(target.getParent());
                            Files.write(target, data);
                        }
                    }
                    default -> pendingName = null;
                }
            }
        }
    }

    private static byte[] readEntry(InputStream in, long size) throws IOException {
        if (size < 0 || size > Integer.MAX_VALUE - BLOCK) {
            throw new IOException("archive entry too large: " + size);
        }
        int padded = (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
        byte[] block = new byte[padded];
        if (!readFully(in, block)) {
            throw new IOException("truncated archive");
        }
        byte[] data = new byte[(int) size];
        System.arraycopy(block, 0, data, 0, (int) size);
        return data;
    }

    /** The {@code path} record of a PAX extended header ({@code "<len> path=<value>\n"} lines). */
    private static String paxPath(byte[] data, String current) {
        String records = new String(data, StandardCharsets.UTF_8);
        String path = current;
        for (String line : records.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                path = line.substring(space + 1 + "path=".length());
            }
        }
        return path;
    }

    private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
        int read = in.readNBytes(buffer, 0, buffer.length);
        if (read == 0 && buffer.length > 0) {
            return false;
        }
        if (read < buffer.length) {
            throw new IOException("truncated archive");
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUstar(byte[] header) {
        return string(header, 257, 5).equals("ustar");
    }

    private static String string(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        String text = string(header, offset, length).trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("bad size field in archive entry header: " + text, e);
        }
    }
}

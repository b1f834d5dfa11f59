package io.flotilla.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where kube-apiserver and etcd come from: {@code $FLOTILLA_KUBE_BIN} when set, else the project's
 * {@code kube/build.sh}, which builds them from the Go module proxy once and caches them by version.
 */
public final class KubeBinaries {
    private static final Logger LOG = LoggerFactory.getLogger(KubeBinaries.class);
    private static Path cached;

    private KubeBinaries() {
    }

    /** Why no real API server can run here, or empty when one can. */
    public static Optional<String> unavailableReason() {
        String prebuilt = System.getenv("FLOTILLA_KUBE_BIN");
        if (prebuilt != null && !prebuilt.isBlank()) {
            return Files.isExecutable(Path.of(prebuilt, "kube-apiserver")) ? Optional.empty()
                    : Optional.of("FLOTILLA_KUBE_BIN=" + prebuilt + " holds no kube-apiserver");
        }
        if (buildScript().isEmpty()) {
            return Optional.of("kube/build.sh not found above " + Path.of("").toAbsolutePath());
        }
        if (!onPath("go")) {
            return Optional.of("go is not on the PATH: kube-apiserver and etcd cannot be built from Go modules");
        }
        if (!onPath("openssl")) {
            return Optional.of("openssl is not on the PATH: the test API server's certificates cannot be made");
        }
        return Optional.empty();
    }

    /** The directory holding {@code kube-apiserver} and {@code etcd}, building them first if needed. */
    public static synchronized Path directory() throws IOException {
        if (cached != null) {
            return cached;
        }
        String prebuilt = System.getenv("FLOTILLA_KUBE_BIN");
        if (prebuilt != null && !prebuilt.isBlank()) {
            return cached = Path.of(prebuilt);
        }
        Path script = buildScript().orElseThrow(() -> new IOException(unavailableReason().orElse("no kube/build.sh")));
        long started = System.nanoTime();
        Process p = new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(script + " failed (exit " + p.exitValue() + "); its output is above");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building kube-apiserver", e);
        }
        String[] lines = out.split("\n");
        cached = Path.of(lines[lines.length - 1]);
        LOG.info("kube-apiserver {} and etcd in {} ({} ms)", KubeApiServer.VERSION, cached,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return cached;
    }

    private static Optional<Path> buildScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("kube/build.sh");
            if (Files.isRegularFile(script)) {
                return Optional.of(script);
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}

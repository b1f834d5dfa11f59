package io.flotilla.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code flotilla manager} in a child JVM (this JVM's classpath), so its heap holds nothing but the manager.
 * Live heap is read with {@code jcmd <pid> GC.class_histogram}, which runs a full GC and sums every live object.
 */
final class ManagerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;
    private final ManagerApi api;

    private ManagerProcess(Process process, Path log, int port, Path dir) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.api = new ManagerApi(port, dir.resolve("data").resolve("admin.conf"));
    }

    static ManagerProcess start(Path dir, String maxHeap) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(javaTool("java"), "-Xmx" + maxHeap, "-XX:+UseParallelGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                "io.flotilla.cli.FlotillaCli", "manager", "--data-dir", dir.resolve("data").toString(),
                "--listen", "127.0.0.1:" + port, "--offline-timeout", "30s", "--heartbeat-interval", "5s", "--plaintext", "--allow-loopback-repos",
                "--client-config", dir.resolve("client-config").toString()));
        Path log = dir.resolve("manager.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ManagerProcess manager = new ManagerProcess(process, log, port, dir);
        ManagerApi api = new ManagerApi(port, dir.resolve("data").resolve("admin.conf"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!api.answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                manager.close();
                throw new IllegalStateException("manager did not start: " + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return manager;
    }

    int port() {
        return port;
    }

    ManagerApi api() {
        return api;
    }

    long pid() {
        return process.pid();
    }

    /** Live heap bytes after a full GC: the "Total" line of a class histogram. */
    long liveHeapBytes() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(javaTool("jcmd"), String.valueOf(process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IOException("jcmd failed: " + out);
        }
        for (String line : out.split("\n")) {
            String t = line.trim();
            if (t.startsWith("Total")) {
                String[] f = t.split("\\s+");
                return Long.parseLong(f[2]);
            }
        }
        throw new IOException("no Total line in the class histogram: " + out.substring(0, Math.min(500, out.length())));
    }

    /** The median of {@code samples} histograms (each one a full GC), so one late-finishing task does not skew it. */
    long settledLiveHeapBytes(int samples) throws IOException, InterruptedException {
        long[] values = new long[samples];
        for (int i = 0; i < samples; i++) {
            values[i] = liveHeapBytes();
        }
        java.util.Arrays.sort(values);
        return values[samples / 2];
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String javaTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

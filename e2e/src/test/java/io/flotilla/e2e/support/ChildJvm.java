package io.flotilla.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code bin/flotilla} command in its own JVM, started from the test classpath, so a test can
 * {@code kill -9} it ({@link #kill()} sends SIGKILL). Output goes to a log file shown on failure.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String name;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ChildJvm start(String name, Path logDir, String... args) throws IOException {
        return start(name, logDir, List.of(), args);
    }

    /**
     * Starts the JVM behind {@code launcherPrefix} (e.g. {@code env --default-signal=INT}, for a process that must
     * receive SIGINT although this test runs with SIGINT ignored, as a background job of a non-interactive shell does).
     */
    public static ChildJvm start(String name, Path logDir, List<String> launcherPrefix, String... args) throws IOException {
        List<String> command = new ArrayList<>(launcherPrefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+StartAttachListener");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.flotilla.cli.FlotillaCli");
        command.addAll(List.of(args));
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The manager copies its admin client config for "the local user": into the test's dir, never ~/.flotilla.
        builder.environment().put("FLOTILLA_CONFIG", logDir.resolve("flotilla-client-config").toString());
        builder.environment().remove("FLOTILLA_TOKEN");
        builder.environment().remove("FLOTILLA_SERVER");
        Process p = builder.start();
        return new ChildJvm(name, p, log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}, ...) with {@code kill}. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes());
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed: " + out);
        }
    }

    /** The exit code, or empty while the process is still running. */
    public java.util.OptionalInt exitCode() {
        return process.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(process.exitValue());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}

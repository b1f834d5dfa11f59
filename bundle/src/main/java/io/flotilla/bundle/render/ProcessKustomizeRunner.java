package io.flotilla.bundle.render;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code kustomize} binary ({@code kustomize build DIR}) or {@code kubectl} ({@code kubectl kustomize DIR}):
 * the configured binary if one is set, else the first {@code kustomize}, else the first {@code kubectl} on the
 * search path.
 */
public final class ProcessKustomizeRunner implements KustomizeRunner {

    /** Default limit for one build. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final int MAX_STDERR_CHARS = 4000;

    private final Path configuredBinary;
    private final String searchPath;
    private final Duration timeout;

    /**
     * @param configuredBinary a {@code kustomize} or {@code kubectl} executable to use, or {@code null} to search
     * @param searchPath directories to search, separated by {@link File#pathSeparator} (like {@code PATH})
     * @param timeout limit for one build
     */
    public ProcessKustomizeRunner(Path configuredBinary, String searchPath, Duration timeout) {
        this.configuredBinary = configuredBinary;
        this.searchPath = searchPath == null ? "" : searchPath;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Searches the process's {@code PATH}. */
    public static ProcessKustomizeRunner fromEnvironment() {
        return new ProcessKustomizeRunner(null, System.getenv("PATH"), DEFAULT_TIMEOUT);
    }

    /** Uses {@code binary} ({@code kustomize} or {@code kubectl}). */
    public static ProcessKustomizeRunner withBinary(Path binary) {
        return new ProcessKustomizeRunner(Objects.requireNonNull(binary, "binary"), "", DEFAULT_TIMEOUT);
    }

    /** The command line that {@link #build(Path)} runs for {@code dir}. */
    public List<String> command(Path dir) throws RenderException {
        Path binary = locate();
        String name = binary.getFileName().toString();
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add(name.startsWith("kubectl") ? "kustomize" : "build");
        command.add(dir.toString());
        return command;
    }

    @Override
    public String build(Path dir) throws RenderException {
        List<String> command = command(dir);
        Path stdout = null;
        Path stderr = null;
        try {
            stdout = Files.createTempFile("kustomize-out", ".yaml");
            stderr = Files.createTempFile("kustomize-err", ".txt");
            return run(command, dir, stdout, stderr);
        } catch (IOException e) {
            throw RenderException.inFile(null, null, "cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    private String run(List<String> command, Path dir, Path stdout, Path stderr) throws IOException, RenderException {
        // output goes to files so that a hanging process cannot block a pipe and the timeout always applies
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw RenderException.inFile(null, null, String.join(" ", command) + " timed out after "
                        + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms"));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw RenderException.inFile(null, null, "interrupted while running " + command.get(0), e);
        }
        if (process.exitValue() != 0) {
            throw RenderException.inFile(null, null, String.join(" ", command) + " failed (exit "
                    + process.exitValue() + "): " + abbreviate(Files.readString(stderr).strip()));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temp file is harmless; the render result does not depend on it
        }
    }

    private Path locate() throws RenderException {
        if (configuredBinary != null) {
            if (!Files.isRegularFile(configuredBinary) || !Files.isExecutable(configuredBinary)) {
                throw RenderException.inFile(null, null, "the configured kustomize binary " + configuredBinary
                        + " does not exist or is not executable; point the kustomize path setting at a kustomize"
                        + " or kubectl executable, or unset it to search PATH");
            }
            return configuredBinary;
        }
        return find("kustomize").or(() -> find("kubectl")).orElseThrow(() -> RenderException.inFile(null, null,
                "this bundle needs kustomize, but neither 'kustomize' nor 'kubectl' was found on PATH (" + searchPath
                        + "); install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or"
                        + " kubectl on the agent's PATH, or configure the path of a kustomize binary"));
    }

    private Optional<Path> find(String name) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_STDERR_CHARS ? text : text.substring(0, MAX_STDERR_CHARS) + "...";
    }
}

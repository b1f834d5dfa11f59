package io.flotilla.bench;

import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/** A real manager started in this JVM on 127.0.0.1 with its store in a temporary directory. */
final class BenchManager implements AutoCloseable {
    final Manager manager;
    final ManagerApi api;
    private final Path dir;

    private BenchManager(Manager manager, Path dir) {
        this.manager = manager;
        this.dir = dir;
        this.api = new ManagerApi(manager.port(), manager.adminConfigFile());
    }

    static BenchManager start(String experiment) throws Exception {
        Path dir = Files.createTempDirectory("flotilla-bench-" + experiment);
        Manager manager = Manager.start(ManagerConfig.defaults(dir.resolve("data"), "127.0.0.1", 0)
                        .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(5)).withPlaintext()
                        .withGitAccess(io.flotilla.manager.git.GitAccessPolicy.allowingLoopback()))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return new BenchManager(manager, dir);
    }

    Path dir() {
        return dir;
    }

    int port() {
        return manager.port();
    }

    @Override
    public void close() throws Exception {
        manager.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

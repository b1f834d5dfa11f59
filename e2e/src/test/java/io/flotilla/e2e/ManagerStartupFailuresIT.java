package io.flotilla.e2e;

import io.flotilla.e2e.support.ChildJvm;
import io.flotilla.manager.store.MvStoreStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code flotilla manager} that cannot start says why in one line and exits non-zero within seconds (it used to hang
 * printing {@code RejectedExecutionException}, then fail after 60 s with a stack trace).
 */
class ManagerStartupFailuresIT {
    private static final Duration QUICKLY = Duration.ofSeconds(25);

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Starts a manager that must fail; answers its output after checking the exit and the one-line message. */
    private String failsQuickly(String name, Path dataDir, int port, String expected) throws Exception {
        Instant started = Instant.now();
        ChildJvm manager = ChildJvm.start(name, dir, "manager", "--data-dir", dataDir.toString(),
                "--listen", "127.0.0.1:" + port);
        try {
            await(name + " exits").atMost(QUICKLY).until(() -> manager.exitCode().isPresent());
        } finally {
            manager.close();
        }
        String out = manager.output();
        assertThat(manager.exitCode()).as(out).hasValue(1);
        assertThat(Duration.between(started, Instant.now())).as(out).isLessThan(QUICKLY);
        assertThat(out.lines().filter(l -> l.startsWith("flotilla manager:")).toList()).as(out)
                .singleElement().asString().contains(expected);
        assertThat(out).doesNotContain("Exception").doesNotContainPattern("(?m)^\\s+at [\\w$.]+\\(");
        return out;
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            failsQuickly("port-in-use", dir.resolve("data"), port,
                    "cannot listen on 127.0.0.1:" + port + ": the port is in use");
        }
    }

    @Test
    void dataDirLockedByAnotherManager() throws Exception {
        Path data = dir.resolve("locked");
        try (MvStoreStore other = MvStoreStore.open(data)) {
            failsQuickly("locked", data, freePort(), "another Flotilla manager already uses data directory");
        }
    }

    @Test
    void dataDirCannotBeCreated() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        failsQuickly("not-creatable", file.resolve("data"), freePort(), "cannot be created");
    }

    @Test
    void storeUnreadable() throws Exception {
        Path data = Files.createDirectories(dir.resolve("garbage"));
        Files.write(data.resolve("flotilla.mv.db"), "this is not an MVStore file, it is garbage ".repeat(200).getBytes());
        failsQuickly("garbage", data, freePort(), data.resolve("flotilla.mv.db").toAbsolutePath().toString());
    }

    @Test
    void storeTruncatedToHalf() throws Exception {
        Path data = dir.resolve("truncated");
        try (MvStoreStore store = MvStoreStore.open(data)) {
            for (int i = 0; i < 200; i++) {
                store.create(io.flotilla.manager.api.Json.newObject(io.flotilla.manager.api.Kind.CLUSTER_GROUP,
                        "fleet-default", "group-" + i));
            }
        }
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(data.resolve("flotilla.mv.db").toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        failsQuickly("truncated", data, freePort(), "Restore the data directory from a backup");
    }

    @Test
    void listenOptionMalformed() throws Exception {
        ChildJvm manager = ChildJvm.start("bad-listen", dir, "manager", "--data-dir", dir.resolve("d").toString(),
                "--listen", "127.0.0.1:http");
        await().atMost(QUICKLY).until(() -> manager.exitCode().isPresent());
        assertThat(manager.exitCode()).hasValue(2);
        assertThat(manager.output()).contains("--listen must be HOST:PORT").doesNotContain("Exception");
    }
}

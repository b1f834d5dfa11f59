package io.flotilla.e2e;

import io.flotilla.e2e.support.ChildJvm;
import io.flotilla.e2e.support.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code flotilla manager} on a fresh data dir starts, serves and stops without printing a stack trace
 * (a start-up {@code RejectedExecutionException ... event executor terminated} was reported).
 */
class ManagerStartupIT {
    @TempDir
    Path dir;

    @Test
    void cleanStartAndStopPrintNoStackTrace() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        ChildJvm manager = ChildJvm.start("manager", dir, "manager", "--data-dir", dir.resolve("fresh/data").toString(),
                "--listen", "127.0.0.1:" + port);
        try {
            RestClient rest = RestClient.forDataDir(dir.resolve("fresh/data"));
            await("manager ready").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(manager.output()).contains("flotilla manager ready on 127.0.0.1:" + port);
                assertThat(rest.status("/healthz")).as(manager.output()).isEqualTo(200);
            });
            // whatever start-up scheduled has run: the store's first persist interval and a liveness sweep or two
            await("output stays clean").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertNoStackTrace(manager.output()));
        } finally {
            manager.close();
        }
        assertNoStackTrace(manager.output());
    }

    private static void assertNoStackTrace(String output) {
        assertThat(output).doesNotContain("Exception").doesNotContainPattern("(?m)^\\s+at [\\w$.]+\\(");
    }
}

package io.flotilla.manager.agents;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.testing.ManagerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cluster that never had an agent is waiting for its first check-in, before and after a manager restart; it is
 * not {@code Offline} (which says an agent was there and is gone).
 */
class ClusterWaitCheckInMockTest {
    private static final String CLUSTER = "/apis/flotilla.io/v1alpha1/namespaces/fleet-default/clusters/never-seen";

    @TempDir
    Path dataDir;

    private Manager start() throws Exception {
        return Manager.start(ManagerConfig.defaults(dataDir, "127.0.0.1", 0)
                        .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static String state(ManagerClient client) throws Exception {
        JsonNode cluster = Json.MAPPER.readTree(client.send("GET", CLUSTER, null).body());
        return cluster.path("status").path("display").path("state").asText();
    }

    @Test
    void aClusterWithoutAgentStaysWaitCheckInAcrossARestart() throws Exception {
        Manager manager = start();
        try {
            ManagerClient admin = ManagerClient.admin(manager);
            assertThat(admin.send("POST", "/apis/flotilla.io/v1alpha1/namespaces/fleet-default/clusters",
                    "{\"metadata\": {\"name\": \"never-seen\"}}").statusCode()).isEqualTo(201);
            Thread.sleep(2000); // two offline timeouts
            assertThat(admin.send("GET", CLUSTER, null).body()).doesNotContain("Offline");
        } finally {
            manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        manager = start();
        try {
            ManagerClient admin = ManagerClient.admin(manager);
            Thread.sleep(3000); // three offline timeouts: long enough for a wrong Offline to show
            String cluster = admin.send("GET", CLUSTER, null).body();
            assertThat(cluster).as("never had an agent: not Offline after a restart").doesNotContain("Offline")
                    .doesNotContain("AgentConnected");
            assertThat(state(admin)).isIn("", "WaitCheckIn");
        } finally {
            manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}

package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.e2e.support.ChildJvm;
import io.flotilla.e2e.support.MockCluster;
import io.flotilla.e2e.support.RestClient;
import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The foundation's acceptance, with real processes: a manager JVM and three agent JVMs, each agent
 * against its own fabric8 CRUD mock API server; agents and the manager are killed with SIGKILL.
 */
class AgentFleetProcessesIT {
    private static final String CLUSTERS = "/apis/flotilla.io/v1alpha1/namespaces/fleet-default/clusters";
    private static final Duration OFFLINE_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<ChildJvm> processes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private ChildJvm startManager(int port) throws Exception {
        ChildJvm manager = ChildJvm.start("manager-" + processes.size(), dir, "manager",
                "--data-dir", dir.resolve("data").toString(), "--listen", "127.0.0.1:" + port,
                "--offline-timeout", OFFLINE_TIMEOUT.toSeconds() + "s", "--heartbeat-interval", "500ms");
        processes.add(manager);
        cleanup.add(manager);
        RestClient rest = RestClient.forDataDir(dir.resolve("data"));
        await("manager /healthz").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(rest.status("/healthz")).as(manager.output()).isEqualTo(200));
        return manager;
    }

    private ChildJvm startAgent(String cluster, String labels, String token, int port) throws Exception {
        MockCluster kube = new MockCluster(cluster, dir);
        cleanup.add(kube);
        ChildJvm agent = ChildJvm.start("agent-" + cluster, dir, "agent", "--manager", RestClient.forDataDir(dir.resolve("data")).config().server(),
                "--token", token, "--cluster-name", cluster, "--labels", labels,
                "--kubeconfig", kube.kubeconfig().toString(), "--state-dir", dir.resolve("state-" + cluster).toString());
        processes.add(agent);
        cleanup.add(agent);
        return agent;
    }

    private static JsonNode cluster(RestClient rest, String name) throws Exception {
        return rest.get(CLUSTERS + "/" + name);
    }

    private static String connected(RestClient rest, String name) {
        try {
            return Conditions.get(cluster(rest, name).path("status"), "AgentConnected");
        } catch (Exception e) {
            return "unreadable: " + e.getMessage();
        }
    }

    @Test
    void agentsRegisterStayConnectedAndSurviveKillsOfAgentAndManager() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        ChildJvm manager = startManager(port);
        RestClient rest = RestClient.forDataDir(dir.resolve("data"));

        RestClient.Reply token = rest.call("POST", "/apis/flotilla.io/v1alpha1/namespaces/fleet-default/clusterregistrationtokens",
                "{\"metadata\":{\"name\":\"e2e\"},\"spec\":{\"ttl\":\"1h\"}}");
        assertThat(token.code()).isEqualTo(201);
        String tokenValue = token.body().path("status").path("token").asText();
        RestClient.Reply repo = rest.call("POST", "/apis/flotilla.io/v1alpha1/namespaces/fleet-default/gitrepos",
                "{\"metadata\":{\"name\":\"keep-me\"},\"spec\":{\"repo\":\"https://example.invalid/r.git\",\"paths\":[\"a\"]}}");
        assertThat(repo.code()).isEqualTo(201);

        ChildJvm a1 = startAgent("c1", "env=dev,zone=a", tokenValue, port);
        ChildJvm a2 = startAgent("c2", "env=dev,zone=b", tokenValue, port);
        ChildJvm a3 = startAgent("c3", "env=prod", tokenValue, port);

        // Three clusters, with their labels, connected, each reporting its own API as reachable.
        await("three agents connected").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode list = rest.get(CLUSTERS);
            assertThat(list.path("items")).extracting(i -> Json.name(i)).containsExactly("c1", "c2", "c3");
            for (String c : List.of("c1", "c2", "c3")) {
                JsonNode status = cluster(rest, c).path("status");
                assertThat(Conditions.get(status, "AgentConnected")).as(c + "\n" + processes.get(processes.size() - 1).output()).isEqualTo("True");
                assertThat(Conditions.get(status, "ClusterAPIReachable")).as(c).isEqualTo("True");
            }
        });
        assertThat(Json.labels(cluster(rest, "c1"))).containsEntry("env", "dev").containsEntry("zone", "a");
        assertThat(Json.labels(cluster(rest, "c3"))).containsEntry("env", "prod");
        for (ChildJvm p : processes) {
            assertThat(p.output()).as("no secret in the logs of " + p).doesNotContain(tokenValue.split("\\.")[3]);
        }

        // kill -9 of one agent: its cluster goes offline within the timeout; the others stay online.
        Instant killed = Instant.now();
        a1.kill();
        await("c1 offline").atMost(OFFLINE_TIMEOUT.plusSeconds(5)).untilAsserted(() -> {
            JsonNode status = cluster(rest, "c1").path("status");
            assertThat(status.path("display").path("state").asText()).isEqualTo("Offline");
            assertThat(Conditions.get(status, "AgentConnected")).isEqualTo("False");
        });
        assertThat(Duration.between(killed, Instant.now())).isLessThan(OFFLINE_TIMEOUT.plusSeconds(5));
        assertThat(connected(rest, "c2")).isEqualTo("True");
        assertThat(connected(rest, "c3")).isEqualTo("True");

        // kill -9 of the manager, restart on the same data dir: everything is intact, agents return by themselves.
        JsonNode before = rest.get("/apis/flotilla.io/v1alpha1/namespaces/fleet-default/gitrepos/keep-me");
        manager.kill();
        assertThat(manager.isAlive()).isFalse();
        Instant restarted = Instant.now();
        startManager(port);
        JsonNode after = rest.get("/apis/flotilla.io/v1alpha1/namespaces/fleet-default/gitrepos/keep-me");
        assertThat(after.path("spec")).isEqualTo(before.path("spec"));
        // Same object (its status may have moved on: the manager keeps polling the unreachable repository).
        assertThat(after.path("metadata").path("uid")).isEqualTo(before.path("metadata").path("uid"));
        assertThat(after.path("metadata").path("generation")).isEqualTo(before.path("metadata").path("generation"));
        assertThat(Long.parseLong(Json.resourceVersion(after))).isGreaterThanOrEqualTo(Long.parseLong(Json.resourceVersion(before)));
        assertThat(rest.get(CLUSTERS).path("items")).hasSize(3);
        assertThat(rest.get("/apis/flotilla.io/v1alpha1/namespaces/fleet-default/clusterregistrationtokens/e2e")
                .path("status").path("expiresAt").asText()).isNotBlank();
        await("c2 and c3 reconnect without a token").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String c : List.of("c2", "c3")) {
                JsonNode status = cluster(rest, c).path("status");
                assertThat(Conditions.get(status, "AgentConnected")).as(c).isEqualTo("True");
                assertThat(Instant.parse(status.path("agent").path("lastSeen").asText())).as(c).isAfter(restarted);
            }
        });
        assertThat(a2.isAlive()).isTrue();
        assertThat(a3.isAlive()).isTrue();
        // c1's agent is dead: the restarted manager shows it offline once the timeout passed.
        await("c1 still offline after the restart").atMost(OFFLINE_TIMEOUT.plusSeconds(5))
                .untilAsserted(() -> assertThat(cluster(rest, "c1").path("status").path("display").path("state").asText())
                        .isEqualTo("Offline"));
    }
}

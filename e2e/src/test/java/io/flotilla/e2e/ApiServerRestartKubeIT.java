package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.e2e.support.KubeCluster;
import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Kind;
import io.flotilla.testkit.KubeApiServer;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The downstream API server goes away under a running agent and comes back: the agent says so in the Cluster's
 * status, its watches resume, drift made in the moment the API is back is detected (and corrected where asked),
 * and nothing else is written again.
 */
@ExtendWith(RequiresKubeApiServer.class)
class ApiServerRestartKubeIT {
    private static final String CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n";

    @TempDir
    Path dir;
    Fleet fleet;
    KubeCluster cluster;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("fixed/fleet.yaml", "defaultNamespace: fixed\ncorrectDrift:\n  enabled: true\n");
        fleet.git.write("fixed/configmap.yaml", CONFIG_MAP);
        fleet.git.write("watched/fleet.yaml", "defaultNamespace: watched\n");
        fleet.git.write("watched/configmap.yaml", CONFIG_MAP);
        fleet.git.write("watched/other.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  a: b\n");
        cluster = fleet.addCluster("c1", Map.of("env", "dev"));
        fleet.createGitRepo("apps", "[{\"clusterSelector\":{}}]");
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private KubernetesClient kube() {
        return cluster.client();
    }

    private JsonNode bdStatus(String bundle) {
        JsonNode bd = fleet.bd(bundle, "c1");
        return bd == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : bd.path("status");
    }

    @Test
    void agentRidesOutAnApiServerRestartAndSeesDriftMadeAsItReturns() throws Exception {
        await("deployed and ready").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(bdStatus("apps-fixed").path("ready").asBoolean()).isTrue();
            assertThat(bdStatus("apps-watched").path("ready").asBoolean()).isTrue();
        });

        cluster.server().stopApiServer();
        await("Cluster status says the API is unreachable").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Conditions.get(fleet.object(Kind.CLUSTER, "c1").path("status"), "ClusterAPIReachable"))
                        .isEqualTo("False"));

        cluster.server().restartApiServer();
        // edits made the moment the API is back, before the agent's watches have resumed
        kube().configMaps().inNamespace("watched").withName("settings")
                .edit(c -> new ConfigMapBuilder(c).addToData("color", "red").build());
        kube().configMaps().inNamespace("fixed").withName("settings")
                .edit(c -> new ConfigMapBuilder(c).addToData("color", "red").build());
        cluster.server().awaitAuditBarrier();
        int agentRequestsBefore = cluster.server().requests(KubeApiServer.User.AGENT).size();

        // the informers resume with backoff (fabric8 doubles its reconnect interval up to 32 s): on a loaded machine that is most of a minute
        await("reachable again, drift seen and corrected").atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(Conditions.get(fleet.object(Kind.CLUSTER, "c1").path("status"), "ClusterAPIReachable"))
                    .isEqualTo("True");
            assertThat(bdStatus("apps-watched").path("nonModified").asBoolean()).isFalse();
            assertThat(bdStatus("apps-watched").path("modifiedStatus").toString()).contains("settings", "blue");
            assertThat(kube().configMaps().inNamespace("fixed").withName("settings").get().getData())
                    .containsEntry("color", "blue");
            assertThat(bdStatus("apps-fixed").path("nonModified").asBoolean()).isTrue();
        });
        assertThat(kube().configMaps().inNamespace("watched").withName("settings").get().getData())
                .as("no correctDrift for this bundle: left as edited").containsEntry("color", "red");

        cluster.server().awaitAuditBarrier();
        List<String> writes = cluster.server().requests(KubeApiServer.User.AGENT)
                .subList(agentRequestsBefore, cluster.server().requests(KubeApiServer.User.AGENT).size()).stream()
                .filter(KubeApiServer::isWrite)
                .map(e -> e.path("verb").asText() + " " + e.path("requestURI").asText()).toList();
        assertThat(writes).as("only the drift correction is written").hasSize(1)
                .allMatch(w -> w.startsWith("patch /api/v1/namespaces/fixed/configmaps/settings"));
    }
}

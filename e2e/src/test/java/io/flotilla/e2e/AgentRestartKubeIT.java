package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.ChildJvm;
import io.flotilla.e2e.support.Fleet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of an agent process and a restart on the same state dir: nothing is re-created or
 * duplicated, status is reported again, and a BD deleted while the agent was down is cleaned up when it returns.
 */
@ExtendWith(RequiresKubeApiServer.class)
class AgentRestartKubeIT {
    @TempDir
    Path dir;
    Fleet fleet;
    ChildJvm agent;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("app/fleet.yaml", "defaultNamespace: app\n");
        fleet.git.write("app/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  k: v\n");
        fleet.git.write("old/fleet.yaml", "defaultNamespace: old\n");
        fleet.git.write("old/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n");
        fleet.addKubeCluster("c1");
        fleet.createGitRepo("apps", "[{\"clusterSelector\":{}}]");
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        fleet.close();
    }

    private ChildJvm startAgent(String name) throws Exception {
        return ChildJvm.start(name, dir, "agent", "--manager", fleet.managerUrl().toString(),
                "--token", fleet.token(), "--cluster-name", "c1", "--labels", "env=dev",
                "--kubeconfig", fleet.clusters.get("c1").kubeconfig().toString(), "--state-dir", dir.resolve("state").toString());
    }

    private KubernetesClient kube() {
        return fleet.clusters.get("c1").client();
    }

    @Test
    void killedAgentReturnsWithoutRecreatingAndCleansUpWhatWasDeletedMeanwhile() throws Exception {
        agent = startAgent("agent-1");
        await("deployed").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(kube().configMaps().inNamespace("app").withName("app").get()).as(agent.output()).isNotNull();
            assertThat(kube().configMaps().inNamespace("old").withName("old").get()).isNotNull();
            JsonNode bd = fleet.bd("apps-app", "c1");
            assertThat(bd.path("status").path("appliedDeploymentID").asText()).isEqualTo(bd.path("spec").path("deploymentID").asText());
            assertThat(bd.path("status").path("ready").asBoolean()).isTrue();
        });
        String uid = kube().configMaps().inNamespace("app").withName("app").get().getMetadata().getUid();
        String resourceVersion = kube().configMaps().inNamespace("app").withName("app").get().getMetadata().getResourceVersion();
        long reportedBefore = fleet.bd("apps-app", "c1").path("status").path("reportedSequence").asLong();

        agent.kill();
        fleet.git.remove("old");
        await("old BD deleted upstream while the agent is down").atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(fleet.bd("apps-old", "c1")).isNull());
        assertThat(kube().configMaps().inNamespace("old").withName("old").get()).as("nobody removed it yet").isNotNull();

        agent = startAgent("agent-2");
        await("old cleaned up, app re-reported").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(kube().configMaps().inNamespace("old").withName("old").get()).as(agent.output()).isNull();
            assertThat(fleet.bd("apps-app", "c1").path("status").path("reportedSequence").asLong()).isGreaterThan(reportedBefore);
            // the ownership record goes last, after the objects
            assertThat(kube().secrets().inNamespace("flotilla-system").list().getItems())
                    .extracting(s -> s.getMetadata().getName()).containsExactly("bd-apps-app");
        });
        var app = kube().configMaps().inNamespace("app").withName("app").get();
        assertThat(app.getMetadata().getUid()).as("not re-created").isEqualTo(uid);
        assertThat(app.getMetadata().getResourceVersion()).as("not rewritten").isEqualTo(resourceVersion);
        assertThat(kube().configMaps().inNamespace("app").list().getItems()).hasSize(1);
        assertThat(kube().secrets().inNamespace("flotilla-system").list().getItems())
                .extracting(s -> s.getMetadata().getName()).containsExactly("bd-apps-app");
        assertThat(agent.output()).contains("Using the stored credential");
    }
}

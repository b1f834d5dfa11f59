package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent process that rendered a Helm chart (Helm's Go code runs in-process through helm-java) still stops
 * gracefully on SIGTERM and SIGINT: Go's signal handling must not keep the signals from the JVM.
 */
@ExtendWith(RequiresKubeApiServer.class)
class AgentSignalsKubeIT {
    @TempDir
    Path dir;
    Fleet fleet;
    ChildJvm agent;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("chart/fleet.yaml", "defaultNamespace: sig\nhelm:\n  releaseName: sig\n");
        fleet.git.write("chart/Chart.yaml", "apiVersion: v2\nname: sig\nversion: 0.1.0\n");
        fleet.git.write("chart/values.yaml", "greeting: hello\n");
        fleet.git.write("chart/templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                + "  name: {{ .Release.Name }}-config\ndata:\n  greeting: {{ .Values.greeting | quote }}\n");
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

    /**
     * Starts the agent and waits until it rendered and deployed the chart. {@code launcherPrefix} runs the JVM with
     * SIGINT at its default disposition: a shell without job control starts background jobs (and so Maven and this
     * test) with SIGINT ignored, and a JVM keeps an inherited ignored SIGINT ignored, as a process started from a
     * terminal would not.
     */
    private void startAgentAndDeployChart(List<String> launcherPrefix) throws Exception {
        agent = ChildJvm.start("agent", dir, launcherPrefix, "agent", "--manager", fleet.managerUrl().toString(),
                "--token", fleet.token(), "--cluster-name", "c1",
                "--kubeconfig", fleet.clusters.get("c1").kubeconfig().toString(), "--state-dir", dir.resolve("state").toString());
        await("chart rendered and deployed").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(fleet.clusters.get("c1").client().configMaps().inNamespace("sig").withName("sig-config").get())
                    .as(agent.output()).isNotNull();
            JsonNode bd = fleet.bd("apps-chart", "c1");
            assertThat(bd).as(agent.output()).isNotNull();
            assertThat(bd.path("status").path("appliedDeploymentID").asText()).as(agent.output())
                    .isEqualTo(bd.path("spec").path("deploymentID").asText());
        });
        assertThat(agent.isAlive()).isTrue();
    }

    private void assertStopsGracefully(int expectedExitCode) {
        await("agent exits").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(agent.isAlive()).as(agent.output()).isFalse());
        assertThat(agent.output()).contains("Agent of cluster c1 stopping", "Agent of cluster c1 stopped")
                .doesNotContain("unclean stop");
        assertThat(agent.exitCode()).hasValue(expectedExitCode);
    }

    @Test
    void sigtermAfterAHelmRenderStopsTheAgentGracefully() throws Exception {
        startAgentAndDeployChart(List.of());
        agent.signal("TERM");
        assertStopsGracefully(128 + 15);
    }

    @Test
    void sigintAfterAHelmRenderStopsTheAgentGracefully() throws Exception {
        startAgentAndDeployChart(List.of("env", "--default-signal=INT"));
        agent.signal("INT");
        assertStopsGracefully(128 + 2);
    }
}

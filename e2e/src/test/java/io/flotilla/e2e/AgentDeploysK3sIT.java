package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.e2e.support.K3sCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AgentDeploysKubeIT}'s scenarios against a real k3s (Testcontainers): a real Deployment becomes ready
 * through a real kubelet, drift is detected and corrected, a removed file is pruned, doNotDeploy removes
 * the BD's objects. Skipped, with the reason, where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class AgentDeploysK3sIT {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: pause
            spec:
              replicas: 1
              selector: {matchLabels: {app: pause}}
              template:
                metadata: {labels: {app: pause}}
                spec:
                  containers: [{name: pause, image: "registry.k8s.io/pause:3.10"}]
            """;

    @TempDir
    Path dir;
    Fleet fleet;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("app/fleet.yaml", "defaultNamespace: web\ncorrectDrift:\n  enabled: true\n");
        fleet.git.write("app/deployment.yaml", DEPLOYMENT);
        fleet.git.write("app/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n");
        fleet.git.write("app/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n");
        fleet.git.write("plain/fleet.yaml", "defaultNamespace: plain\n");
        fleet.git.write("plain/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n");
        fleet.addCluster("k1", Map.of("env", "dev"), new K3sCluster("k1", dir));
        fleet.createGitRepo("apps", "[{\"clusterSelector\":{\"matchLabels\":{\"env\":\"dev\"}}}]");
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private KubernetesClient kube() {
        return fleet.clusters.get("k1").client();
    }

    @Test
    void deploysReportsReadinessCorrectsDriftPrunesAndRemoves() throws Exception {
        await("ready on a real cluster").atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            assertThat(kube().apps().deployments().inNamespace("web").withName("pause").get()).isNotNull();
            assertThat(fleet.bd("apps-app", "k1").path("status").path("ready").asBoolean()).isTrue();
        });

        ConfigMap plain = kube().configMaps().inNamespace("plain").withName("settings").get();
        plain.getData().put("color", "red");
        kube().configMaps().inNamespace("plain").resource(plain).update();
        ConfigMap app = kube().configMaps().inNamespace("web").withName("settings").get();
        app.getData().put("color", "red");
        kube().configMaps().inNamespace("web").resource(app).update();
        await("drift").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode status = fleet.bd("apps-plain", "k1").path("status");
            assertThat(status.path("nonModified").asBoolean()).isFalse();
            assertThat(status.path("modifiedStatus").toString()).contains("settings");
            assertThat(kube().configMaps().inNamespace("web").withName("settings").get().getData()).containsEntry("color", "blue");
        });

        fleet.git.remove("app/extra.yaml");
        await("pruned").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(kube().configMaps().inNamespace("web").withName("extra").get()).isNull());

        fleet.git.write("app/fleet.yaml", "defaultNamespace: web\ntargetCustomizations:\n- clusterName: k1\n  doNotDeploy: true\n");
        await("removed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(fleet.bd("apps-app", "k1")).isNull();
            assertThat(kube().apps().deployments().inNamespace("web").withName("pause").get()).isNull();
            assertThat(kube().configMaps().inNamespace("plain").withName("settings").get()).isNotNull();
        });
    }
}

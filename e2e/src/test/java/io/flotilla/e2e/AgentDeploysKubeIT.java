package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.Fleet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent's acceptance end to end: a git daemon, a manager, three agents, one real kube-apiserver
 * per agent. Manifests in git become objects in every cluster; readiness, drift, pruning and doNotDeploy
 * behave as a user expects.
 */
@ExtendWith(RequiresKubeApiServer.class)
class AgentDeploysKubeIT {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
            """;
    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              color: blue
            """;

    @TempDir
    Path dir;
    Fleet fleet;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("app/fleet.yaml", "defaultNamespace: web\ncorrectDrift:\n  enabled: true\n");
        fleet.git.write("app/deployment.yaml", DEPLOYMENT);
        fleet.git.write("app/configmap.yaml", CONFIG_MAP);
        fleet.git.write("app/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n");
        fleet.git.write("plain/fleet.yaml", "defaultNamespace: plain\n");
        fleet.git.write("plain/configmap.yaml", CONFIG_MAP);
        for (String c : List.of("c1", "c2", "c3")) {
            fleet.addCluster(c, Map.of("env", "dev"));
        }
        fleet.createGitRepo("apps", "[{\"name\":\"dev\",\"clusterSelector\":{\"matchLabels\":{\"env\":\"dev\"}}}]");
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private KubernetesClient kube(String cluster) {
        return fleet.clusters.get(cluster).client();
    }

    private Deployment web(String cluster) {
        return kube(cluster).apps().deployments().inNamespace("web").withName("web").get();
    }

    private ConfigMap configMap(String cluster, String ns, String name) {
        return kube(cluster).configMaps().inNamespace(ns).withName(name).get();
    }

    @Test
    void manifestsDeployEverywhereAndReadinessDriftPruneAndDoNotDeployBehave() throws Exception {
        // 1. A commit with manifests: the objects exist in all three clusters.
        await("objects in every cluster").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String c : List.of("c1", "c2", "c3")) {
                assertThat(web(c)).as(c).isNotNull();
                assertThat(configMap(c, "web", "settings")).as(c).isNotNull();
                assertThat(configMap(c, "plain", "settings")).as(c).isNotNull();
                assertThat(fleet.bd("apps-app", c).path("status").path("appliedDeploymentID").asText())
                        .isEqualTo(fleet.bd("apps-app", c).path("spec").path("deploymentID").asText());
            }
        });
        assertThat(web("c1").getMetadata().getLabels()).containsEntry("flotilla.io/bundledeployment", "apps-app");
        assertThat(fleet.bd("apps-app", "c1").path("status").path("ready").asBoolean()).isFalse();
        assertThat(fleet.bd("apps-app", "c1").path("status").path("nonReadyStatus").toString()).contains("web");

        // Patching the Deployment's status to available in c1 makes that BD Ready within a second.
        Deployment d = web("c1");
        d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1)
                .withAvailableReplicas(1).withUpdatedReplicas(1).withObservedGeneration(d.getMetadata().getGeneration())
                .build());
        Instant patched = Instant.now();
        kube("c1").apps().deployments().inNamespace("web").resource(d).updateStatus();
        await("c1 ready").atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(fleet.bd("apps-app", "c1").path("status").path("ready").asBoolean()).isTrue());
        assertThat(Duration.between(patched, Instant.now())).isLessThan(Duration.ofSeconds(1));
        assertThat(fleet.bd("apps-app", "c2").path("status").path("ready").asBoolean()).isFalse();

        // 2. A hand edit without correctDrift: the BD is Modified, naming the object.
        ConfigMap edited = configMap("c2", "plain", "settings");
        edited.getData().put("color", "red");
        kube("c2").configMaps().inNamespace("plain").resource(edited).update();
        await("plain on c2 modified").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode status = fleet.bd("apps-plain", "c2").path("status");
            assertThat(status.path("nonModified").asBoolean()).isFalse();
            assertThat(status.path("modifiedStatus").toString()).contains("settings").contains("plain");
        });
        // With correctDrift the same edit is restored; a hand deletion is re-created.
        ConfigMap drifted = configMap("c2", "web", "settings");
        drifted.getData().put("color", "red");
        kube("c2").configMaps().inNamespace("web").resource(drifted).update();
        kube("c3").configMaps().inNamespace("web").withName("settings").delete();
        await("drift corrected").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(configMap("c2", "web", "settings").getData()).containsEntry("color", "blue");
            assertThat(configMap("c3", "web", "settings")).isNotNull();
        });

        // 3. Removing a file from git prunes its object in every cluster.
        fleet.git.remove("app/extra.yaml");
        await("extra pruned").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String c : List.of("c1", "c2", "c3")) {
                assertThat(configMap(c, "web", "extra")).as(c).isNull();
                assertThat(configMap(c, "web", "settings")).as(c).isNotNull();
            }
        });

        // 4. doNotDeploy for c3: every object of that BD is gone from c3 only.
        fleet.git.write("app/fleet.yaml", "defaultNamespace: web\ncorrectDrift:\n  enabled: true\n"
                + "targetCustomizations:\n- name: not-c3\n  clusterName: c3\n  doNotDeploy: true\n");
        await("app gone from c3 only").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(fleet.bd("apps-app", "c3")).isNull();
            assertThat(web("c3")).isNull();
            assertThat(configMap("c3", "web", "settings")).isNull();
            assertThat(web("c1")).isNotNull();
            assertThat(web("c2")).isNotNull();
            assertThat(configMap("c3", "plain", "settings")).isNotNull();
        });

        // ... and with keepResources (deployed first, as the deletion uses the options the BD was applied with) they stay.
        fleet.git.write("plain/fleet.yaml", "defaultNamespace: plain\nkeepResources: true\n");
        await("keepResources delivered").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(fleet.bd("apps-plain", "c3").path("spec").path("options").path("keepResources").asBoolean()).isTrue());
        fleet.git.write("plain/fleet.yaml", "defaultNamespace: plain\nkeepResources: true\n"
                + "targetCustomizations:\n- name: not-c3\n  clusterName: c3\n  doNotDeploy: true\n");
        await("plain BD gone from c3, objects kept").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(fleet.bd("apps-plain", "c3")).isNull();
            assertThat(configMap("c3", "plain", "settings")).isNotNull();
            assertThat(kube("c3").secrets().inNamespace("flotilla-system").list().getItems())
                    .noneMatch(s -> s.getMetadata().getName().contains("apps-plain"));
        });
    }
}

package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.manager.api.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code dependsOn}: a BD waits, saying for what, until the bundle it depends on is Ready on the same cluster. */
@ExtendWith(RequiresKubeApiServer.class)
class DependsOnKubeIT {
    @TempDir
    Path dir;
    Fleet fleet;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("db/fleet.yaml", "defaultNamespace: db\n");
        fleet.git.write("db/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [{name: db, image: "postgres:17"}]}
                """);
        fleet.git.write("app/fleet.yaml", "defaultNamespace: app\ndependsOn:\n- name: apps-db\n");
        fleet.git.write("app/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n");
        fleet.addCluster("c1", Map.of("env", "dev"));
        fleet.createGitRepo("apps", "[{\"clusterSelector\":{}}]");
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    @Test
    void waitsForTheBundleItDependsOnAndSaysSo() {
        KubernetesClient kube = fleet.clusters.get("c1").client();
        await("db deployed, app waiting").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(kube.apps().deployments().inNamespace("db").withName("db").get()).isNotNull();
            JsonNode app = fleet.bd("apps-app", "c1");
            assertThat(app.path("spec").path("dependsOn").toString()).contains("apps-db");
            assertThat(app.path("status").toString()).contains("waiting for dependencies: apps-db (NotReady)");
            assertThat(fleet.object(Kind.BUNDLE, "apps-app").path("status").toString()).contains("waiting for dependencies");
        });
        assertThat(kube.configMaps().inNamespace("app").withName("app").get()).isNull();

        Deployment db = kube.apps().deployments().inNamespace("db").withName("db").get();
        db.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
                .withUpdatedReplicas(1).withObservedGeneration(db.getMetadata().getGeneration()).build());
        kube.apps().deployments().inNamespace("db").resource(db).updateStatus();
        await("app deployed once db is ready").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(kube.configMaps().inNamespace("app").withName("app").get()).isNotNull();
            assertThat(fleet.bd("apps-app", "c1").path("status").path("ready").asBoolean()).isTrue();
        });
    }
}

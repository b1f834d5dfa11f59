package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.store.StoreException;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pausing end to end (fleet-semantics §1.1-1.5, §5.3): a manager, an agent over real gRPC and a real kube-apiserver.
 * A paused Cluster, then a paused GitRepo, keep the released version on the cluster while the new one is staged and
 * the BD shows OutOfSync; unpausing promotes it.
 */
@ExtendWith(RequiresKubeApiServer.class)
class PauseKubeIT {
    private static final String CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  v: \"%s\"\n";

    @TempDir
    Path dir;
    Fleet fleet;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("app/fleet.yaml", "defaultNamespace: paused-app\n");
        fleet.git.write("app/configmap.yaml", CONFIG_MAP.formatted("1"));
        fleet.addCluster("c1", Map.of("env", "dev"));
        fleet.createGitRepo("apps", "[{\"clusterSelector\":{}}]");
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private String data(KubernetesClient kube) {
        ConfigMap cm = kube.configMaps().inNamespace("paused-app").withName("app").get();
        return cm == null ? null : cm.getData().get("v");
    }

    /** Read-modify-write of {@code spec.paused}, retried when the manager wrote the object's status meanwhile. */
    private void setPaused(Kind kind, String name, boolean paused) {
        for (int attempt = 0; ; attempt++) {
            ObjectNode o = fleet.object(kind, name);
            o.withObjectProperty("spec").put("paused", paused);
            try {
                fleet.manager.store().update(o);
                return;
            } catch (StoreException.Conflict e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private void stagedButKept(KubernetesClient kube, String kept) {
        await("new version staged, released one kept").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode bd = fleet.bd("apps-app", "c1");
            JsonNode spec = bd.path("spec");
            assertThat(spec.path("stagedDeploymentID").asText()).isNotEqualTo(spec.path("deploymentID").asText());
            assertThat(spec.path("paused").asBoolean()).isTrue();
            assertThat(bd.path("status").path("display").path("state").asText()).isEqualTo("OutOfSync");
            assertThat(fleet.object(Kind.GIT_REPO, "apps").path("status").path("summary").path("outOfSync").asInt())
                    .isEqualTo(1);
        });
        await("the cluster keeps the released version").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(data(kube)).isEqualTo(kept));
    }

    private void promoted(KubernetesClient kube, String version) {
        await("promoted and deployed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(data(kube)).isEqualTo(version);
            JsonNode bd = fleet.bd("apps-app", "c1");
            assertThat(bd.path("spec").path("deploymentID").asText())
                    .isEqualTo(bd.path("spec").path("stagedDeploymentID").asText());
            assertThat(bd.path("status").path("display").path("state").asText()).isEqualTo("Ready");
        });
    }

    @Test
    void pausedClusterAndPausedGitRepoKeepTheReleasedVersionUntilUnpaused() throws Exception {
        KubernetesClient kube = fleet.clusters.get("c1").client();
        await("first version deployed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(data(kube)).isEqualTo("1");
            assertThat(fleet.bd("apps-app", "c1").path("status").path("display").path("state").asText())
                    .isEqualTo("Ready");
        });

        setPaused(Kind.CLUSTER, "c1", true);
        fleet.git.write("app/configmap.yaml", CONFIG_MAP.formatted("2"));
        stagedButKept(kube, "1");
        setPaused(Kind.CLUSTER, "c1", false);
        promoted(kube, "2");

        setPaused(Kind.GIT_REPO, "apps", true);
        await("the bundle is paused").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(fleet.object(Kind.BUNDLE, "apps-app").path("spec").path("paused").asBoolean()).isTrue());
        fleet.git.write("app/configmap.yaml", CONFIG_MAP.formatted("3"));
        stagedButKept(kube, "2");
        setPaused(Kind.GIT_REPO, "apps", false);
        promoted(kube, "3");
    }
}

package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.Fleet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Helm-chart bundle and a kustomize bundle (the guestbook example shapes) deploy through the same agent
 * path as raw manifests and report readiness the same way.
 */
@ExtendWith(RequiresKubeApiServer.class)
class HelmKustomizeDeploysKubeIT {
    private static final Path EXAMPLES = Path.of("../bundle/src/test/resources/examples");

    @TempDir
    Path dir;
    Fleet fleet;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.copy(EXAMPLES.resolve("guestbook-helm"), "helm");
        fleet.git.copy(EXAMPLES.resolve("guestbook-kustomize"), "kustomize");
        fleet.addCluster("c1", Map.of("env", "prod"));
        fleet.createGitRepo("apps", "[{\"clusterSelector\":{}}]");
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    static boolean kustomizeAvailable() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, "kustomize")) || Files.isExecutable(Path.of(d, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    private void makeReady(String namespace) {
        KubernetesClient kube = fleet.clusters.get("c1").client();
        for (Deployment d : kube.apps().deployments().inNamespace(namespace).list().getItems()) {
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                    .withAvailableReplicas(replicas).withUpdatedReplicas(replicas)
                    .withObservedGeneration(d.getMetadata().getGeneration()).build());
            kube.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
        }
        // prod exposes the frontend as a LoadBalancer, ready once it has an ingress address
        for (var svc : kube.services().inNamespace(namespace).list().getItems()) {
            if ("LoadBalancer".equals(svc.getSpec().getType())) {
                svc.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                        .addNewIngress().withIp("192.0.2.10").endIngress().endLoadBalancer().build());
                kube.services().inNamespace(namespace).resource(svc).updateStatus();
            }
        }
    }

    private void deploysAndBecomesReady(String bundle, String namespace) {
        KubernetesClient kube = fleet.clusters.get("c1").client();
        await(bundle + " applied").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode bd = fleet.bd(bundle, "c1");
            assertThat(bd).isNotNull();
            assertThat(bd.path("status").path("appliedDeploymentID").asText()).as(bd.path("status").toString())
                    .isEqualTo(bd.path("spec").path("deploymentID").asText());
            Deployment frontend = kube.apps().deployments().inNamespace(namespace).withName("frontend").get();
            assertThat(frontend).isNotNull();
            assertThat(frontend.getSpec().getReplicas()).as("prod customization applied").isEqualTo(3);
            assertThat(bd.path("status").path("ready").asBoolean()).isFalse();
            assertThat(bd.path("status").path("nonReadyStatus").toString()).contains("frontend");
        });
        makeReady(namespace);
        await(bundle + " ready").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(fleet.bd(bundle, "c1").path("status").path("ready").asBoolean())
                        .as(fleet.bd(bundle, "c1").path("status").path("nonReadyStatus").toString()).isTrue());
    }

    @Test
    void helmChartBundleDeploysAndReportsReadiness() {
        deploysAndBecomesReady("apps-helm", "guestbook-helm");
    }

    @Test
    void kustomizeBundleDeploysAndReportsReadiness() {
        Assumptions.assumeTrue(kustomizeAvailable(), "neither kustomize nor kubectl is on the PATH");
        deploysAndBecomesReady("apps-kustomize", "guestbook-kustomize");
    }
}

package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
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
    /** pre-install/pre-upgrade Job (weight -5, hook-succeeded), post-install Job, test Pod, one ConfigMap. */
    private static final Path HOOKS_CHART = Path.of("src/test/resources/charts/hooks");

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

    /**
     * Plays the Job controller, which does not run here: writes the status a finished Job gets (the API server
     * validates it: {@code Complete} needs {@code SuccessCriteriaMet} and a completion time, {@code Failed} needs
     * {@code FailureTarget}).
     */
    private static void finishJob(KubernetesClient kube, String namespace, String name, boolean succeed) {
        Job job = kube.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        String now = java.time.Instant.now().toString();
        String reason = succeed ? "CompletionsReached" : "BackoffLimitExceeded";
        String message = succeed ? "Reached expected number of succeeded pods"
                : "Job has reached the specified backoff limit";
        var status = new JobStatusBuilder().withStartTime(now).addToConditions(
                new JobConditionBuilder().withType(succeed ? "SuccessCriteriaMet" : "FailureTarget").withStatus("True")
                        .withReason(reason).withMessage(message).withLastTransitionTime(now).withLastProbeTime(now)
                        .build(),
                new JobConditionBuilder().withType(succeed ? "Complete" : "Failed").withStatus("True")
                        .withReason(reason).withMessage(message).withLastTransitionTime(now).withLastProbeTime(now)
                        .build());
        if (succeed) {
            status.withSucceeded(1).withCompletionTime(now);
        } else {
            status.withFailed(1);
        }
        job.setStatus(status.build());
        kube.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
    }

    @Test
    void helmChartHooksRunInPhasesAroundTheObjects() throws Exception {
        KubernetesClient kube = fleet.clusters.get("c1").client();
        var jobs = kube.batch().v1().jobs().inNamespace("hooks-demo");
        var config = kube.configMaps().inNamespace("hooks-demo").withName("app-config");
        fleet.git.copy(HOOKS_CHART, "hooks");

        await("pre-install hook created").atMost(Duration.ofSeconds(60))
                .until(() -> jobs.withName("hooks-migrate").get() != null);
        assertThat(config.get()).as("the chart's objects wait for the pre-install hook").isNull();
        finishJob(kube, "hooks-demo", "hooks-migrate", true);

        await("post-install hook created").atMost(Duration.ofSeconds(30))
                .until(() -> jobs.withName("hooks-smoke").get() != null);
        assertThat(config.get()).as("objects applied before the post-install hook").isNotNull();
        assertThat(jobs.withName("hooks-migrate").get()).as("hook-succeeded: deleted").isNull();
        finishJob(kube, "hooks-demo", "hooks-smoke", true);

        await("hooks bundle applied and ready").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = fleet.bd("apps-hooks", "c1").path("status");
            assertThat(status.path("appliedDeploymentID").asText()).as(status.toString())
                    .isEqualTo(fleet.bd("apps-hooks", "c1").path("spec").path("deploymentID").asText());
            assertThat(status.path("ready").asBoolean()).as(status.toString()).isTrue();
            assertThat(status.path("resources").findValuesAsText("name")).as("hooks are not resources of the BD")
                    .containsExactly("app-config");
        });
        assertThat(kube.pods().inNamespace("hooks-demo").withName("hooks-test-connection").get())
                .as("test hooks are never applied").isNull();
        assertThat(jobs.withName("hooks-smoke").get().getMetadata().getLabels())
                .containsEntry("flotilla.io/bundledeployment", "apps-hooks");

        // An upgrade runs the pre-upgrade hook; when it fails nothing of the new version is applied.
        fleet.git.write("hooks/values.yaml", "message: changed\n");
        await("pre-upgrade hook created").atMost(Duration.ofSeconds(60))
                .until(() -> jobs.withName("hooks-migrate").get() != null);
        finishJob(kube, "hooks-demo", "hooks-migrate", false);
        await("failed hook reported").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode bd = fleet.bd("apps-hooks", "c1");
            assertThat(bd.path("status").toString()).contains("pre-upgrade hook job.batch hooks-demo/hooks-migrate "
                    + "failed: BackoffLimitExceeded: Job has reached the specified backoff limit");
            assertThat(bd.path("status").path("appliedDeploymentID").asText())
                    .isNotEqualTo(bd.path("spec").path("deploymentID").asText());
        });
        assertThat(config.get().getData()).containsEntry("message", "hello");
    }
}

package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.manager.api.Kind;
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
 * Rollout strategy end to end (fleet-semantics §8): three clusters on real kube-apiservers, one partition each,
 * {@code maxUnavailable: 1}. A new version reaches c1 first; c2 gets it only once c1's Deployment is ready, c3 only
 * once c2's is. There is no controller-manager: the test writes each Deployment's status as its controller would.
 */
@ExtendWith(RequiresKubeApiServer.class)
class RolloutKubeIT {
    private static final String FLEET_YAML = """
            defaultNamespace: web
            rolloutStrategy:
              maxUnavailable: 1
              partitions:
              - name: first
                clusterName: c1
              - name: second
                clusterSelector: {matchLabels: {ring: second}}
              - name: third
                clusterName: c3
            """;
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
                  containers: [{name: web, image: "nginx:%s"}]
            """;
    private static final List<String> CLUSTERS = List.of("c1", "c2", "c3");

    @TempDir
    Path dir;
    Fleet fleet;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("web/fleet.yaml", FLEET_YAML);
        fleet.git.write("web/deployment.yaml", DEPLOYMENT.formatted("1.26"));
        fleet.addCluster("c1", Map.of("env", "dev"));
        fleet.addCluster("c2", Map.of("env", "dev", "ring", "second"));
        fleet.addCluster("c3", Map.of("env", "dev"));
        fleet.createGitRepo("apps", "[{\"clusterSelector\":{}}]");
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private KubernetesClient kube(String cluster) {
        return fleet.clusters.get(cluster).client();
    }

    private String image(String cluster) {
        Deployment d = kube(cluster).apps().deployments().inNamespace("web").withName("web").get();
        return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** What the Deployment controller would write once the pods of the current generation are available. */
    private void markReady(String cluster) {
        await().atMost(Duration.ofSeconds(10)).ignoreException(KubernetesClientException.class).untilAsserted(() -> {
            Deployment d = kube(cluster).apps().deployments().inNamespace("web").withName("web").get();
            d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
                    .withUpdatedReplicas(1).withObservedGeneration(d.getMetadata().getGeneration()).build());
            kube(cluster).apps().deployments().inNamespace("web").resource(d).updateStatus();
        });
    }

    private boolean bdReady(String cluster) {
        JsonNode bd = fleet.bd("apps-web", cluster);
        return bd != null && "Ready".equals(bd.path("status").path("display").path("state").asText());
    }

    private void onlyTheseHave(String image, List<String> having) {
        await("nginx:" + image + " on " + having).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String c : CLUSTERS) {
                assertThat(image(c)).as(c).isEqualTo(having.contains(c) ? "nginx:" + image : "nginx:1.26");
            }
        });
        // and no more than these, for a while
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String c : CLUSTERS) {
                assertThat(image(c)).as(c).isEqualTo(having.contains(c) ? "nginx:" + image : "nginx:1.26");
            }
        });
    }

    @Test
    void maxUnavailableOneOverThreePartitionsWaitsForEachPartitionToBeReady() throws Exception {
        // first rollout: brand-new BDs are released at once, whatever the limit
        await("first version everywhere").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String c : CLUSTERS) {
                assertThat(image(c)).as(c).isEqualTo("nginx:1.26");
            }
        });
        CLUSTERS.forEach(this::markReady);
        await("all ready").atMost(Duration.ofSeconds(30)).until(() -> CLUSTERS.stream().allMatch(this::bdReady));
        JsonNode status = fleet.object(Kind.BUNDLE, "apps-web").path("status");
        assertThat(status.path("maxUnavailable").asInt()).isEqualTo(1);
        List<String> names = new java.util.ArrayList<>();
        status.path("partitions").forEach(p -> names.add(p.path("name").asText()));
        assertThat(names).containsExactly("first", "second", "third");
        assertThat(status.path("partitions").get(0).path("summary").path("desiredReady").asInt()).isEqualTo(1);

        fleet.git.write("web/deployment.yaml", DEPLOYMENT.formatted("1.27"));
        onlyTheseHave("1.27", List.of("c1"));
        JsonNode c3 = fleet.bd("apps-web", "c3").path("spec");
        assertThat(c3.path("stagedDeploymentID").asText()).isNotEqualTo(c3.path("deploymentID").asText());

        markReady("c1");
        onlyTheseHave("1.27", List.of("c1", "c2"));

        markReady("c2");
        onlyTheseHave("1.27", List.of("c1", "c2", "c3"));
        markReady("c3");
        await("all ready on the new version").atMost(Duration.ofSeconds(30))
                .until(() -> CLUSTERS.stream().allMatch(this::bdReady));
        await("bundle status of the finished rollout").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode done = fleet.object(Kind.BUNDLE, "apps-web").path("status");
            assertThat(done.path("unavailable").asInt()).isZero();
            assertThat(done.path("unavailablePartitions").asInt()).isZero();
            List<Integer> unavailable = new java.util.ArrayList<>();
            done.path("partitions").forEach(p -> unavailable.add(p.path("unavailable").asInt(-1)));
            assertThat(unavailable).containsExactly(0, 0, 0);
        });
    }
}

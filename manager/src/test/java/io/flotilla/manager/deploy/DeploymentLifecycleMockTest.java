package io.flotilla.manager.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleResource;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.DeploymentIds;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.LabelSelectorSpec;
import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.testing.ManagerClient;
import io.flotilla.proto.v1.ManagerMessage;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.testing.ProtocolAgent;
import io.flotilla.manager.targeting.BundleTargetsBuilder;
import io.flotilla.manager.targeting.BundleTargetsBuilder.GitRepoSettings;
import io.flotilla.manager.targeting.ClusterNamespaces;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * BD lifecycle in a real manager: bundles × registered clusters become stored BDs and messages on the
 * agents' streams; deletions reach connected agents at once and offline agents when they return.
 */
class DeploymentLifecycleMockTest {
    private static final String NS = "fleet-default";
    private static final GitRepoSettings DEV = GitRepoSettings.of(List.of(new GitTarget("dev", null,
            LabelSelectorSpec.ofLabels(Map.of("env", "dev")), null, null)));

    @TempDir
    Path dataDir;
    Manager manager;
    Vertx vertx;
    final Map<String, ProtocolAgent> agents = new java.util.HashMap<>();

    @BeforeEach
    void start() throws Exception {
        manager = Manager.start(ManagerConfig.defaults(dataDir, "127.0.0.1", 0)).toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx = Vertx.vertx();
        String token = token();
        for (String c : List.of("c1", "c2", "c3")) {
            agents.put(c, new ProtocolAgent(vertx, ManagerClient.admin(manager)).register(token, c, Map.of("env", "dev")));
        }
    }

    @AfterEach
    void stop() throws Exception {
        agents.values().forEach(ProtocolAgent::close);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private String token() throws Exception {
        HttpResponse<String> resp = ManagerClient.admin(manager).send("POST",
                "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/clusterregistrationtokens", "{\"metadata\":{\"name\":\"t\"}}");
        return Json.MAPPER.readTree(resp.body()).path("status").path("token").asText();
    }

    /** What git ingestion would store for a directory: here written directly, as the manager would. */
    private void putBundle(String name, List<BundleTarget> customizations, List<GitTarget> overrideTargets) {
        List<BundleResource> resources = List.of(new BundleResource("cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n", null));
        var targets = BundleTargetsBuilder.build(BundleDeploymentOptions.empty(), false, customizations, overrideTargets, DEV);
        ObjectNode bundle = BundleObjects.toObject(NS, name, Map.of("flotilla.io/repo-name", "repo"), targets, null,
                resources, DeploymentIds.manifestId(resources), List.of());
        if (manager.store().get(new ObjectKey(Kind.BUNDLE, NS, name)).isPresent()) {
            manager.store().update(bundle); // no resourceVersion: a plain replace, like the git controller's
        } else {
            manager.store().create(bundle);
        }
    }

    private List<String> storedBds(String cluster) {
        return manager.store().list(Kind.BUNDLE_DEPLOYMENT, ClusterNamespaces.of(NS, cluster)).stream()
                .map(Json::name).sorted().toList();
    }

    /** Read-modify-write as a client does: retried when the manager wrote the Cluster's status in between. */
    private void relabel(String cluster, Map<String, String> labels) {
        await().atMost(Duration.ofSeconds(5)).ignoreException(io.flotilla.manager.store.StoreException.Conflict.class)
                .until(() -> {
                    ObjectNode c = manager.store().get(new ObjectKey(Kind.CLUSTER, NS, cluster)).orElseThrow();
                    Json.metadata(c).set("labels", Json.MAPPER.valueToTree(labels));
                    manager.store().update(c);
                    return true;
                });
    }

    private static BundleTarget doNotDeploy(String name, String clusterName) {
        return new BundleTarget(name, clusterName, null, null, null, true, null, null, BundleDeploymentOptions.empty());
    }

    @Test
    void staleReportsAreAcknowledgedButIgnoredAndCounted() throws Exception {
        ProtocolAgent c1 = agents.get("c1");
        c1.connect(Map.of());
        putBundle("seq", List.of(), List.of(new GitTarget(null, "c1", null, null, null)));
        manager.deployments().sync();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(c1.upserted()).contains("seq"));
        ObjectKey bd = new ObjectKey(Kind.BUNDLE_DEPLOYMENT, ClusterNamespaces.of(NS, "c1"), "seq");
        String id = manager.store().get(bd).orElseThrow().path("spec").path("deploymentID").asText();

        c1.send(report(100, id, true));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(acked(c1)).contains(100L));
        assertThat(manager.store().get(bd).orElseThrow().path("status").path("reportedSequence").asLong()).isEqualTo(100);
        long before = manager.delivery().staleReports();

        // an old report arriving late (a resend from before a reconnect, a reordered stream)
        c1.send(report(7, id, false));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(acked(c1)).as("acknowledged: not resent").contains(7L));
        assertThat(manager.delivery().staleReports()).isEqualTo(before + 1);
        JsonNode status = manager.store().get(bd).orElseThrow().path("status");
        assertThat(status.path("reportedSequence").asLong()).isEqualTo(100);
        assertThat(status.path("ready").asBoolean()).as("the newer status stays").isTrue();

        // newer ones still apply
        c1.send(report(101, id, false));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(manager.store().get(bd).orElseThrow()
                .path("status").path("reportedSequence").asLong()).isEqualTo(101));
        assertThat(manager.store().get(bd).orElseThrow().path("status").path("ready").asBoolean()).isFalse();
    }

    private static io.flotilla.proto.v1.AgentMessage report(long sequence, String deploymentId, boolean ready) {
        return io.flotilla.proto.v1.AgentMessage.newBuilder().setReport(io.flotilla.proto.v1.StatusReport.newBuilder()
                .setSequence(sequence).addDeployments(io.flotilla.proto.v1.DeploymentStatus.newBuilder().setName("seq")
                        .setAppliedDeploymentId(deploymentId).setReady(ready).setNonModified(true))).build();
    }

    private static List<Long> acked(ProtocolAgent agent) {
        return agent.received().stream().filter(ManagerMessage::hasAck).map(m -> m.getAck().getSequence()).toList();
    }

    @Test
    void anAgentGetsOnlyContentItsOwnBdsReference() throws Exception {
        for (ProtocolAgent a : agents.values()) {
            a.connect(Map.of());
        }
        putBundle("only-c1", List.of(), List.of(new GitTarget(null, "c1", null, null, null)));
        manager.deployments().sync();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(agents.get("c1").upserted()).contains("only-c1"));
        String contentId = manager.store().get(new ObjectKey(Kind.BUNDLE_DEPLOYMENT, ClusterNamespaces.of(NS, "c1"), "only-c1"))
                .orElseThrow().path("spec").path("contentId").asText();
        io.flotilla.proto.v1.AgentMessage ask = io.flotilla.proto.v1.AgentMessage.newBuilder()
                .setContentRequest(io.flotilla.proto.v1.ContentRequest.newBuilder().addContentIds(contentId)).build();

        agents.get("c1").received().clear();
        agents.get("c1").send(ask);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(agents.get("c1").received())
                .anyMatch(m -> m.hasContent() && m.getContent().getContentId().equals(contentId)));

        // c2 holds no BD of that bundle: asking by id (ids are hashes, easily guessed or leaked) gets nothing
        agents.get("c2").received().clear();
        agents.get("c2").send(ask);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(agents.get("c2").received()).noneMatch(ManagerMessage::hasContent));
    }

    @Test
    void overrideTargetsDoNotDeployAndRelabellingDriveBdsAndReachAgents() throws Exception {
        for (ProtocolAgent a : agents.values()) {
            a.connect(Map.of());
        }
        putBundle("a", List.of(), null);
        putBundle("b", List.of(), List.of(new GitTarget(null, "c1", null, null, null)));
        manager.deployments().sync();

        // overrideTargets: b has exactly one BD, on c1.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(storedBds("c1")).containsExactly("a", "b");
            assertThat(storedBds("c2")).containsExactly("a");
            assertThat(storedBds("c3")).containsExactly("a");
            assertThat(agents.get("c1").upserted()).containsExactlyInAnyOrder("a", "b");
            assertThat(agents.get("c2").upserted()).containsExactly("a");
        });
        assertThat(agents.get("c1").received()).anyMatch(m -> m.hasContent());

        // A doNotDeploy customization for c1 deletes b's BD there, and the agent is told at once.
        putBundle("b", List.of(doNotDeploy("skip-c1", "c1")), List.of(new GitTarget(null, "c1", null, null, null)));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(storedBds("c1")).containsExactly("a");
            assertThat(agents.get("c1").deleted()).containsExactly("b");
        });

        // c2 goes away; while it is offline it is relabelled out of the targets: its BD is deleted in the store.
        String idOnC2 = manager.store().get(new ObjectKey(Kind.BUNDLE_DEPLOYMENT, ClusterNamespaces.of(NS, "c2"), "a"))
                .orElseThrow().path("spec").path("deploymentID").asText();
        agents.get("c2").disconnect();
        relabel("c2", Map.of("env", "prod"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(storedBds("c2")).isEmpty());

        // When it returns holding "a", the manager sends the delete it missed.
        agents.get("c2").connect(Map.of("a", idOnC2));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(agents.get("c2").deleted()).containsExactly("a"));
        assertThat(agents.get("c2").upserted()).isEmpty();

        // Relabelled back: recreated with the same deploymentID, and delivered.
        relabel("c2", Map.of("env", "dev"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(storedBds("c2")).containsExactly("a");
            assertThat(agents.get("c2").received()).anyMatch(m -> m.hasUpsert()
                    && m.getUpsert().getName().equals("a") && m.getUpsert().getDeploymentId().equals(idOnC2));
        });

        // An agent that already holds the current deploymentID gets nothing on reconnect: replays change nothing.
        agents.get("c3").disconnect();
        String idOnC3 = manager.store().get(new ObjectKey(Kind.BUNDLE_DEPLOYMENT, ClusterNamespaces.of(NS, "c3"), "a"))
                .orElseThrow().path("spec").path("deploymentID").asText();
        agents.get("c3").connect(Map.of("a", idOnC3));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(agents.get("c3").upserted()).isEmpty();
            assertThat(agents.get("c3").deleted()).isEmpty();
        });
    }

    @Test
    void targetingErrorKeepsExistingBdsAndSaysWhy() throws Exception {
        putBundle("a", List.of(), null);
        manager.deployments().sync();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(storedBds("c1")).containsExactly("a"));

        // A customization whose Helm values template fails for every cluster: the bundle cannot be targeted.
        var broken = new BundleTarget("broken", null, LabelSelectorSpec.everything(), null, null, false, null, null,
                BundleDeploymentOptions.empty().toBuilder().helm(io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions
                        .empty().toBuilder().values(Map.of("x", "${ .ClusterLabels.missing }")).build()).build());
        putBundle("a", List.of(broken), null);
        manager.deployments().sync();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            ObjectNode bundle = manager.store().get(new ObjectKey(Kind.BUNDLE, NS, "a")).orElseThrow();
            assertThat(io.flotilla.manager.api.Conditions.get(bundle.path("status"), "Ready")).isEqualTo("False");
            assertThat(bundle.path("status").toString()).contains("targeting error: cluster c1");
        });
        assertThat(storedBds("c1")).containsExactly("a");
        assertThat(storedBds("c2")).containsExactly("a");
    }
}

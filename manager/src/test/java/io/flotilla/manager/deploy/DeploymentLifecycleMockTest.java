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
        return token("t");
    }

    private String token(String name) throws Exception {
        HttpResponse<String> resp = ManagerClient.admin(manager).send("POST",
                "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/clusterregistrationtokens",
                "{\"metadata\":{\"name\":\"" + name + "\"}}");
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
        // what happened, as events: the BDs created per cluster, then the bundle's targeting error
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode error = Json.MAPPER.readTree(ManagerClient.admin(manager).send("GET", "/api/v1/namespaces/" + NS
                    + "/events?fieldSelector=involvedObject.kind%3DBundle,involvedObject.name%3Da,reason%3DTargetingError",
                    null).body());
            assertThat(error.path("items")).singleElement().satisfies(e -> {
                assertThat(e.path("type").asText()).isEqualTo("Warning");
                assertThat(e.path("message").asText()).contains("targeting error: cluster c1")
                        .endsWith("its BundleDeployments are kept as they are");
            });
            JsonNode created = Json.MAPPER.readTree(ManagerClient.admin(manager).send("GET", "/api/v1/namespaces/" + NS
                    + "/events?fieldSelector=involvedObject.kind%3DCluster,involvedObject.name%3Dc1", null).body());
            assertThat(created.path("items")).singleElement().satisfies(e -> assertThat(e.path("message").asText())
                    .isEqualTo("1 BundleDeployment created: a"));
        });
    }

    /**
     * Issue 13: the error of a Helm value template naming a missing cluster label cleared only on the next bundle
     * change; it must clear in the step that creates the BD once the cluster has the label.
     */
    @Test
    void targetingErrorClearsInTheStepThatCreatesTheBd() throws Exception {
        var templated = BundleDeploymentOptions.empty().toBuilder().helm(BundleDeploymentOptions.HelmOptions.empty()
                .toBuilder().values(Map.of("foo", "${ .ClusterLabels.foo }")).build()).build();
        List<BundleResource> resources = List.of(new BundleResource("cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\n", null));
        var targets = BundleTargetsBuilder.build(templated, false, List.of(), null, GitRepoSettings.of(List.of(
                new GitTarget("c1", "c1", null, null, null))));
        manager.store().create(BundleObjects.toObject(NS, "t", Map.of("flotilla.io/repo-name", "repo"), targets, null,
                resources, DeploymentIds.manifestId(resources), List.of()));
        manager.deployments().sync();
        ObjectKey bundleKey = new ObjectKey(Kind.BUNDLE, NS, "t");
        assertThat(manager.store().get(bundleKey).orElseThrow().path("status").toString())
                .contains("targeting error: cluster c1", "foo");
        assertThat(storedBds("c1")).isEmpty();

        relabel("c1", Map.of("env", "dev", "foo", "bar"));
        manager.deployments().sync();
        // One targeting step later: the BD exists and the bundle no longer carries the error.
        assertThat(storedBds("c1")).containsExactly("t");
        ObjectNode bundle = manager.store().get(bundleKey).orElseThrow();
        assertThat(io.flotilla.manager.api.Conditions.get(bundle.path("status"), DeploymentController.TARGETED))
                .isEqualTo("True");
        manager.status().sync();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                manager.store().get(bundleKey).orElseThrow().path("status").toString()).doesNotContain("targeting error"));
        assertThat(manager.statusHub().get(io.flotilla.manager.status.StatusKey.bundle(NS, "t")).json())
                .doesNotContain("targeting error");
    }

    private String restGet(String path) throws Exception {
        HttpResponse<String> resp = ManagerClient.admin(manager).send("GET", path, null);
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        return resp.body();
    }

    /** Issue 13: Helm values (which may hold credentials) were returned in clear text by the API. */
    @Test
    void helmValuesNeverLeaveThroughTheApiButReachTheAgent() throws Exception {
        agents.get("c1").connect(Map.of());
        var secretValues = BundleDeploymentOptions.empty().toBuilder().helm(BundleDeploymentOptions.HelmOptions.empty()
                .toBuilder().values(Map.of("password", "hunter2-bundle")).build()).build();
        var custom = new BundleTarget("c1", "c1", null, null, null, false, null, null, BundleDeploymentOptions.empty()
                .toBuilder().helm(BundleDeploymentOptions.HelmOptions.empty().toBuilder()
                        .values(Map.of("token", "hunter2-target")).build()).build());
        List<BundleResource> resources = List.of(new BundleResource("cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v\n", null));
        var targets = BundleTargetsBuilder.build(secretValues, false, List.of(custom), null, DEV);
        manager.store().create(BundleObjects.toObject(NS, "v", Map.of("flotilla.io/repo-name", "repo"), targets, null,
                resources, DeploymentIds.manifestId(resources), List.of()));
        manager.deployments().sync();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(agents.get("c1").received())
                .anyMatch(m -> m.hasUpsert() && m.getUpsert().getName().equals("v")
                        && m.getUpsert().getOptionsJson().contains("hunter2-bundle")
                        && m.getUpsert().getOptionsJson().contains("hunter2-target")));

        String api = "/apis/flotilla.io/v1alpha1";
        String bdNs = ClusterNamespaces.of(NS, "c1");
        for (String path : List.of(api + "/namespaces/" + NS + "/bundles", api + "/namespaces/" + NS + "/bundles/v",
                api + "/bundledeployments", api + "/namespaces/" + bdNs + "/bundledeployments/v", api + "/bundles",
                api + "/namespaces/" + NS + "/gitrepos")) {
            assertThat(restGet(path)).as(path).doesNotContain("hunter2");
        }
        JsonNode bundle = Json.MAPPER.readTree(restGet(api + "/namespaces/" + NS + "/bundles/v"));
        assertThat(bundle.path("spec").path("valuesHash").asText()).hasSize(64);
        JsonNode bd = Json.MAPPER.readTree(restGet(api + "/namespaces/" + bdNs + "/bundledeployments/v"));
        assertThat(bd.path("spec").path("valuesHash").asText()).hasSize(64);
        assertThat(bd.path("spec").path("options").path("helm").has("values")).isFalse();
    }

    private ObjectNode bd(String bundle, String cluster) {
        return manager.store().get(new ObjectKey(Kind.BUNDLE_DEPLOYMENT, ClusterNamespaces.of(NS, cluster), bundle))
                .orElseThrow();
    }

    private void putConfigMapBundle(String name, String data, boolean paused) {
        List<BundleResource> resources = List.of(new BundleResource("cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata: {v: \"" + data + "\"}\n", null));
        var targets = BundleTargetsBuilder.build(BundleDeploymentOptions.empty(), paused, List.of(), null, DEV);
        ObjectNode bundle = BundleObjects.toObject(NS, name, Map.of("flotilla.io/repo-name", "repo"), targets, null,
                resources, DeploymentIds.manifestId(resources), List.of());
        if (manager.store().get(new ObjectKey(Kind.BUNDLE, NS, name)).isPresent()) {
            manager.store().update(bundle);
        } else {
            manager.store().create(bundle);
        }
    }

    private void setClusterPaused(String cluster, boolean paused) {
        await().atMost(Duration.ofSeconds(5)).ignoreException(io.flotilla.manager.store.StoreException.Conflict.class)
                .until(() -> {
                    ObjectNode c = manager.store().get(new ObjectKey(Kind.CLUSTER, NS, cluster)).orElseThrow();
                    c.withObjectProperty("spec").put("paused", paused);
                    manager.store().update(c);
                    return true;
                });
    }

    private boolean agentGot(String cluster, String bundle, String deploymentId) {
        return agents.get(cluster).received().stream().anyMatch(m -> m.hasUpsert() && m.getUpsert().getName().equals(bundle)
                && m.getUpsert().getDeploymentId().equals(deploymentId));
    }

    /** Issue 13: Cluster spec.paused was accepted and ignored. A paused cluster keeps its released version. */
    @Test
    void pausedClusterKeepsItsReleasedVersionUntilUnpaused() throws Exception {
        agents.get("c1").connect(Map.of());
        agents.get("c2").connect(Map.of());
        putConfigMapBundle("p", "1", false);
        manager.deployments().sync();
        String v1 = bd("p", "c1").path("spec").path("deploymentID").asText();
        assertThat(v1).startsWith("s-");
        await().atMost(Duration.ofSeconds(5)).until(() -> agentGot("c1", "p", v1));

        setClusterPaused("c1", true);
        manager.deployments().sync();
        assertThat(bd("p", "c1").path("spec").path("paused").asBoolean()).isTrue();
        putConfigMapBundle("p", "2", false);
        manager.deployments().sync();
        String v2 = bd("p", "c2").path("spec").path("deploymentID").asText();
        assertThat(v2).isNotEqualTo(v1);
        JsonNode paused = bd("p", "c1").path("spec");
        assertThat(paused.path("deploymentID").asText()).isEqualTo(v1);
        assertThat(paused.path("stagedDeploymentID").asText()).isEqualTo(v2);
        await().atMost(Duration.ofSeconds(5)).until(() -> agentGot("c2", "p", v2));
        assertThat(agentGot("c1", "p", v2)).isFalse();

        setClusterPaused("c1", false);
        manager.deployments().sync();
        assertThat(bd("p", "c1").path("spec").path("deploymentID").asText()).isEqualTo(v2);
        assertThat(bd("p", "c1").path("spec").has("paused")).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> agentGot("c1", "p", v2));
    }

    /** Bundle spec.paused: new options are staged everywhere, released nowhere; a BD created while paused waits. */
    @Test
    void pausedBundleStagesWithoutReleasing() throws Exception {
        agents.get("c3").connect(Map.of());
        putConfigMapBundle("q", "1", false);
        manager.deployments().sync();
        String v1 = bd("q", "c3").path("spec").path("deploymentID").asText();
        putConfigMapBundle("q", "2", true);
        manager.deployments().sync();
        JsonNode spec = bd("q", "c3").path("spec");
        assertThat(spec.path("deploymentID").asText()).isEqualTo(v1);
        assertThat(spec.path("stagedDeploymentID").asText()).isNotEqualTo(v1);
        assertThat(spec.path("paused").asBoolean()).isTrue();

        // a cluster joining while the bundle is paused gets a BD with nothing released, and no upsert
        ProtocolAgent c4 = new ProtocolAgent(vertx, ManagerClient.admin(manager)).register(token("t4"), "c4", Map.of("env", "dev"));
        agents.put("c4", c4);
        c4.connect(Map.of());
        manager.deployments().sync();
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.store().get(new ObjectKey(Kind.BUNDLE_DEPLOYMENT,
                ClusterNamespaces.of(NS, "c4"), "q")).isPresent());
        assertThat(bd("q", "c4").path("spec").path("deploymentID").asText()).isEmpty();
        assertThat(c4.upserted()).doesNotContain("q");

        putConfigMapBundle("q", "2", false);
        manager.deployments().sync();
        String v2 = bd("q", "c3").path("spec").path("stagedDeploymentID").asText();
        assertThat(bd("q", "c3").path("spec").path("deploymentID").asText()).isEqualTo(v2);
        assertThat(bd("q", "c4").path("spec").path("deploymentID").asText()).isEqualTo(v2);
        await().atMost(Duration.ofSeconds(5)).until(() -> agentGot("c4", "q", v2) && agentGot("c3", "q", v2));
    }
}

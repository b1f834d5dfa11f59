package io.flotilla.agent.deploy;

import static io.flotilla.agent.deploy.Manifests.configMap;
import static io.flotilla.agent.deploy.Manifests.crd;
import static io.flotilla.agent.deploy.Manifests.custom;
import static io.flotilla.agent.deploy.Manifests.deployment;
import static io.flotilla.agent.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
import io.flotilla.agent.status.ApplyFailure;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeployerMockTest {
    private final MockCluster cluster = new MockCluster();
    private final Deployer deployer = new Deployer(cluster.client);
    private final BundleDeploymentOptions options = BundleDeploymentOptions.builder().namespace("apps").build();

    @AfterEach
    void close() {
        cluster.close();
    }

    private DeploymentRequest request(String id, List<Map<String, Object>> objects) {
        return new DeploymentRequest("web", id, options, objects);
    }

    private ConfigMap liveConfigMap(String name) {
        return cluster.client.configMaps().inNamespace("apps").withName(name).get();
    }

    /**
     * The entries with a value: the mock stores the {@code null}s of a JSON merge patch instead of removing the
     * keys as RFC 7386 (and a real API server) does.
     */
    private static Map<String, String> present(Map<String, String> map) {
        Map<String, String> result = new java.util.HashMap<>();
        map.forEach((k, v) -> {
            if (v != null) {
                result.put(k, v);
            }
        });
        return result;
    }

    @Test
    void createsObjectsWithOwnershipLabelsAndRecord() {
        ApplyOutcome outcome = deployer.apply(request("d1", List.of(
                configMap("apps", "cfg", Map.of("a", "1")), deployment("apps", "web", "nginx:1"))));

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.created()).extracting(ObjectRef::name).containsExactly("cfg", "web");
        ConfigMap cfg = liveConfigMap("cfg");
        assertThat(cfg.getMetadata().getLabels()).containsEntry(Ownership.BD_LABEL, "web");
        assertThat(cfg.getMetadata().getAnnotations()).containsEntry(Ownership.OWNED_BY_ANNOTATION, "web")
                .containsKey(Ownership.LAST_APPLIED_ANNOTATION);
        assertThat(cluster.client.apps().deployments().inNamespace("apps").withName("web").get()).isNotNull();
        assertThat(cluster.client.namespaces().withName("apps").get()).isNotNull();
        assertThat(deployer.loadOwnership()).containsOnlyKeys("web");
        assertThat(deployer.loadOwnership().get("web").deploymentId()).isEqualTo("d1");
        assertThat(deployer.loadOwnership().get("web").owned()).hasSize(2);
    }

    @Test
    void reapplyingTheSameDeploymentWritesNothing() throws Exception {
        var objects = List.of(configMap("apps", "cfg", Map.of("a", "1")), deployment("apps", "web", "nginx:1"));
        deployer.apply(request("d1", objects));
        cluster.takeRequests();

        ApplyOutcome again = deployer.apply(request("d1", objects));

        assertThat(again.wroteObjects()).isFalse();
        assertThat(cluster.takeWrites()).isEmpty();
    }

    @Test
    void changedBundleIsMergePatchedAndRemovedFieldsAreDeleted() throws Exception {
        deployer.apply(request("d1", List.of(configMap("apps", "cfg", Map.of("a", "1", "b", "2")))));
        cluster.takeRequests();

        ApplyOutcome outcome = deployer.apply(request("d2", List.of(configMap("apps", "cfg", Map.of("a", "3")))));

        assertThat(outcome.patched()).extracting(ObjectRef::name).containsExactly("cfg");
        assertThat(present(liveConfigMap("cfg").getData())).isEqualTo(Map.of("a", "3"));
        assertThat(cluster.takeWrites()).anyMatch(w -> w.startsWith("PATCH /api/v1/namespaces/apps/configmaps/cfg"))
                .noneMatch(w -> w.startsWith("PUT ") && w.contains("configmaps/cfg"));
        assertThat(deployer.loadOwnership().get("web").deploymentId()).isEqualTo("d2");
    }

    @Test
    void threeWayMergeKeepsFieldsOthersAddedAndRestoresOursChanged() {
        deployer.apply(request("d1", List.of(configMap("apps", "cfg", Map.of("a", "1")))));
        cluster.client.configMaps().inNamespace("apps").withName("cfg").edit(c -> new ConfigMapBuilder(c)
                .addToData("a", "changed").addToData("other", "theirs").build());

        deployer.apply(request("d2", List.of(configMap("apps", "cfg", Map.of("a", "1", "b", "2")))));

        assertThat(liveConfigMap("cfg").getData()).isEqualTo(Map.of("a", "1", "b", "2", "other", "theirs"));
    }

    @Test
    void objectsThatLeftTheBundleArePruned() {
        deployer.apply(request("d1", List.of(configMap("apps", "a", Map.of()), configMap("apps", "b", Map.of()))));

        ApplyOutcome outcome = deployer.apply(request("d2", List.of(configMap("apps", "a", Map.of()))));

        assertThat(outcome.pruned()).extracting(ObjectRef::name).containsExactly("b");
        assertThat(liveConfigMap("b")).isNull();
        assertThat(liveConfigMap("a")).isNotNull();
        assertThat(deployer.loadOwnership().get("web").owned()).extracting(ObjectRef::name).containsExactly("a");
    }

    @Test
    void objectOwnedBySomeoneElseIsNotTakenOver() {
        cluster.client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("apps").endMetadata().build()).create();
        cluster.client.configMaps().inNamespace("apps").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("cfg").endMetadata().addToData("a", "mine").build()).create();

        ApplyOutcome outcome = deployer.apply(request("d1", List.of(configMap("apps", "cfg", Map.of("a", "1")),
                configMap("apps", "other", Map.of()))));

        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.failure().kind()).isEqualTo(ApplyFailure.Kind.ERR_APPLIED);
        assertThat(outcome.failure().message()).isEqualTo("configmap.v1 apps/cfg is not owned by us");
        assertThat(liveConfigMap("cfg").getData()).containsEntry("a", "mine");
        assertThat(liveConfigMap("other")).isNotNull();
        assertThat(outcome.appliedDeploymentId()).isEmpty();
        assertThat(outcome.owned()).extracting(ObjectRef::name).containsExactly("other");
    }

    @Test
    void crdsAreAppliedBeforeTheirCustomResourcesAndDeletedOnlyWhenAsked() {
        var objects = List.of(custom("example.com/v1", "Widget", "apps", "w1", map("size", 1)),
                crd("example.com", "Widget", "widgets"));
        ApplyOutcome outcome = deployer.apply(request("d1", objects));

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.created()).extracting(ObjectRef::kind).containsExactly("CustomResourceDefinition", "Widget");

        deployer.delete("web", false, false);

        assertThat(cluster.client.genericKubernetesResources("example.com/v1", "Widget").inNamespace("apps")
                .withName("w1").get()).isNull();
        assertThat(cluster.client.apiextensions().v1().customResourceDefinitions().withName("widgets.example.com").get())
                .isNotNull();
        assertThat(deployer.loadOwnership()).isEmpty();
    }

    @Test
    void deleteWithDeleteCrdResourcesRemovesCustomResourcesBeforeTheCrd() throws Exception {
        deployer.apply(request("d1", List.of(crd("example.com", "Widget", "widgets"),
                custom("example.com/v1", "Widget", "apps", "w1", map("size", 1)), configMap("apps", "cfg", Map.of()))));
        cluster.takeRequests();

        deployer.delete("web", false, true);

        List<String> deletes = cluster.takeWrites().stream()
                .filter(w -> w.startsWith("DELETE ") && !w.contains("/secrets/")).toList();
        assertThat(deletes).hasSize(3);
        assertThat(deletes.get(2)).contains("customresourcedefinitions/widgets.example.com");
        assertThat(cluster.client.apiextensions().v1().customResourceDefinitions().withName("widgets.example.com").get())
                .isNull();
        assertThat(liveConfigMap("cfg")).isNull();
    }

    @Test
    void keepResourcesLeavesObjectsAndDropsOnlyTheRecord() {
        deployer.apply(request("d1", List.of(configMap("apps", "cfg", Map.of("a", "1")))));

        deployer.delete("web", true, false);

        assertThat(liveConfigMap("cfg")).isNotNull();
        assertThat(deployer.loadOwnership()).isEmpty();
    }

    @Test
    void restartedDeployerKnowsWhatItOwnsAndRecreatesNothing() throws Exception {
        var objects = List.of(configMap("apps", "cfg", Map.of("a", "1")), deployment("apps", "web", "nginx:1"));
        deployer.apply(request("d1", objects));
        cluster.takeRequests();

        Deployer restarted = new Deployer(cluster.client);
        Map<String, OwnedState> owned = restarted.loadOwnership();
        ApplyOutcome again = restarted.apply(owned.get("web").request());

        assertThat(owned.get("web").deploymentId()).isEqualTo("d1");
        assertThat(owned.get("web").request().objects()).isEqualTo(objects);
        assertThat(owned.get("web").options()).isEqualTo(options);
        assertThat(again.wroteObjects()).isFalse();
        assertThat(cluster.takeWrites()).isEmpty();
    }

    @Test
    void namespaceIsCreatedWithLabelsAndAnnotationsAndKeptInLine() {
        var labelled = BundleDeploymentOptions.builder().namespace("team").namespaceLabels(Map.of("team", "a"))
                .namespaceAnnotations(Map.of("note", "x")).build();
        deployer.apply(new DeploymentRequest("web", "d1", labelled, List.of(configMap("team", "cfg", Map.of()))));
        assertThat(cluster.client.namespaces().withName("team").get().getMetadata().getLabels())
                .containsEntry("team", "a");

        cluster.client.namespaces().withName("team").edit(n -> {
            n.getMetadata().getLabels().put("stray", "y");
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "baseline");
            return n;
        });
        deployer.apply(new DeploymentRequest("web", "d1", labelled, List.of(configMap("team", "cfg", Map.of()))));

        var ns = cluster.client.namespaces().withName("team").get().getMetadata();
        assertThat(present(ns.getLabels())).containsOnly(Map.entry("team", "a"), Map.entry("kubernetes.io/metadata.name", "team"),
                Map.entry("pod-security.kubernetes.io/enforce", "baseline"));
        assertThat(ns.getAnnotations()).containsOnly(Map.entry("note", "x"));
    }

    @Test
    void kindTheServerDoesNotKnowIsAnErrorWhileTheOtherObjectsApply() {
        ApplyOutcome outcome = deployer.apply(request("d1", List.of(
                custom("unknown.example.com/v1", "Gadget", "apps", "g", map("a", 1)), configMap("apps", "cfg", Map.of()))));

        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.failure().kind()).isEqualTo(ApplyFailure.Kind.ERR_APPLIED);
        assertThat(outcome.errors()).singleElement().satisfies(e -> {
            assertThat(e.ref().kind()).isEqualTo("Gadget");
            assertThat(e.message()).isEqualTo("no matches for kind \"Gadget\" in version \"unknown.example.com/v1\"");
        });
        assertThat(liveConfigMap("cfg")).isNotNull();
    }

    @Test
    void namespaceLabelsAreIdempotent() throws Exception {
        var labelled = BundleDeploymentOptions.builder().namespace("team").namespaceLabels(Map.of("team", "a")).build();
        var request = new DeploymentRequest("web", "d1", labelled, List.of(configMap("team", "cfg", Map.of())));
        deployer.apply(request);
        cluster.client.namespaces().withName("team").edit(n -> {
            n.getMetadata().getLabels().put("stray", "y");
            return n;
        });
        deployer.apply(request);
        cluster.takeRequests();

        deployer.apply(request);

        assertThat(cluster.takeWrites()).isEmpty();
    }

    @Test
    void sameDeploymentLeavesComparePatchPathsToOthers() throws Exception {
        var scaledByOthers = BundleDeploymentOptions.builder().namespace("apps").diff(new BundleDeploymentOptions.DiffOptions(
                List.of(new BundleDeploymentOptions.ComparePatch("apps/v1", "Deployment", "web", "apps",
                        List.of("/spec/replicas"), null)))).build();
        var request = new DeploymentRequest("web", "d1", scaledByOthers, List.of(deployment("apps", "web", "nginx:1")));
        deployer.apply(request);
        cluster.client.apps().deployments().inNamespace("apps").withName("web").scale(4);
        cluster.takeRequests();

        deployer.apply(request);

        assertThat(cluster.takeWrites()).isEmpty();
        assertThat(cluster.client.apps().deployments().inNamespace("apps").withName("web").get().getSpec().getReplicas())
                .isEqualTo(4);
    }

    @Test
    void failedUpdateKeepsThePreviousDeploymentApplied() {
        deployer.apply(request("d1", List.of(configMap("apps", "cfg", Map.of("a", "1")))));
        cluster.server.expect().patch().withPath("/api/v1/namespaces/apps/configmaps/cfg")
                .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("admission webhook \"policy.example.com\" denied the request").build()).always();

        ApplyOutcome outcome = deployer.apply(request("d2", List.of(configMap("apps", "cfg", Map.of("a", "2")))));

        assertThat(outcome.failure()).isEqualTo(ApplyFailure.errApplied(
                "admission webhook \"policy.example.com\" denied the request"));
        assertThat(outcome.appliedDeploymentId()).isEqualTo("d1");
        OwnedState record = deployer.loadOwnership().get("web");
        assertThat(record.deploymentId()).isEqualTo("d1");
        assertThat(record.requestedDeploymentId()).isEqualTo("d2");
        assertThat(record.owned()).extracting(ObjectRef::name).containsExactly("cfg");
    }

    @Test
    void createNamespaceFalseLeavesAMissingNamespaceMissing() {
        var noCreate = BundleDeploymentOptions.builder().namespace("absent").createNamespace(false).build();
        deployer.apply(new DeploymentRequest("web", "d1", noCreate, List.of()));
        assertThat(cluster.client.namespaces().withName("absent").get()).isNull();
    }
}

package io.flotilla.agent.deploy;

import static io.flotilla.agent.deploy.Manifests.configMap;
import static io.flotilla.agent.deploy.Manifests.crd;
import static io.flotilla.agent.deploy.Manifests.custom;
import static io.flotilla.agent.deploy.Manifests.deployment;
import static io.flotilla.agent.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
import io.flotilla.agent.status.ApplyFailure;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flotilla.testkit.KubeApiServer;
import io.flotilla.testkit.KubeApiServers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deployer against a real kube-apiserver: server-side apply, real admission, validation and RBAC. One API
 * server for the class; every test works in namespaces of its own (without a controller-manager a deleted
 * namespace never goes away) and keeps its ownership records in an agent namespace of its own.
 */
class DeployerKubeIT {
    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();
    private static final AtomicInteger TESTS = new AtomicInteger();

    private final int n = TESTS.incrementAndGet();
    private final String apps = "apps-" + n;
    private final String team = "team-" + n;
    private final String agentNamespace = "flotilla-system-" + n;
    private final KubernetesClient admin = KUBE.get().client();
    private final KubernetesClient agentClient = KUBE.get().newClient(KubeApiServer.User.AGENT);
    private final Deployer deployer = new Deployer(agentClient, agentNamespace);
    private final BundleDeploymentOptions options = BundleDeploymentOptions.builder().namespace(apps).build();

    /** The agent's requests from now on: {@link Requests#writes()} after an action. */
    private Requests mark() {
        KUBE.get().awaitAuditBarrier();
        return new Requests(KUBE.get().requests(KubeApiServer.User.AGENT).size());
    }

    private record Requests(int before) {
        List<JsonNode> all() {
            KUBE.get().awaitAuditBarrier();
            List<JsonNode> events = KUBE.get().requests(KubeApiServer.User.AGENT);
            return events.subList(before, events.size());
        }

        /** Requests that change something, dry runs included. */
        List<String> writes() {
            return all().stream().filter(e -> !e.path("verb").asText().matches("get|list|watch"))
                    .map(e -> e.path("verb").asText() + " " + e.path("requestURI").asText()).toList();
        }
    }

    private DeploymentRequest request(String id, List<Map<String, Object>> objects) {
        return new DeploymentRequest("web", id, options, objects);
    }

    private ConfigMap liveConfigMap(String name) {
        return admin.configMaps().inNamespace(apps).withName(name).get();
    }

    @Test
    void createsObjectsWithOwnershipLabelsAndRecord() {
        ApplyOutcome outcome = deployer.apply(request("d1", List.of(
                configMap(apps, "cfg", Map.of("a", "1")), deployment(apps, "web", "nginx:1"))));

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.created()).extracting(ObjectRef::name).containsExactly("cfg", "web");
        ConfigMap cfg = liveConfigMap("cfg");
        assertThat(cfg.getMetadata().getLabels()).containsEntry(Ownership.BD_LABEL, "web");
        assertThat(cfg.getMetadata().getAnnotations()).containsEntry(Ownership.OWNED_BY_ANNOTATION, "web")
                .doesNotContainKey(Ownership.LAST_APPLIED_ANNOTATION);
        assertThat(cfg.getMetadata().getManagedFields()).anySatisfy(f -> {
            assertThat(f.getManager()).isEqualTo("flotilla");
            assertThat(f.getOperation()).isEqualTo("Apply");
        });
        assertThat(admin.apps().deployments().inNamespace(apps).withName("web").get()).isNotNull();
        assertThat(admin.namespaces().withName(apps).get()).isNotNull();
        assertThat(deployer.loadOwnership()).containsOnlyKeys("web");
        assertThat(deployer.loadOwnership().get("web").deploymentId()).isEqualTo("d1");
        assertThat(deployer.loadOwnership().get("web").owned()).hasSize(2);
    }

    @Test
    void reapplyingTheSameDeploymentWritesNothing() throws Exception {
        var objects = List.of(configMap(apps, "cfg", Map.of("a", "1")), deployment(apps, "web", "nginx:1"));
        deployer.apply(request("d1", objects));
        Requests requests = mark();

        ApplyOutcome again = deployer.apply(request("d1", objects));

        assertThat(again.wroteObjects()).isFalse();
        assertThat(requests.writes()).isEmpty();
    }

    @Test
    void changedBundleIsMergePatchedAndRemovedFieldsAreDeleted() throws Exception {
        deployer.apply(request("d1", List.of(configMap(apps, "cfg", Map.of("a", "1", "b", "2")))));
        Requests requests = mark();

        ApplyOutcome outcome = deployer.apply(request("d2", List.of(configMap(apps, "cfg", Map.of("a", "3")))));

        assertThat(outcome.patched()).extracting(ObjectRef::name).containsExactly("cfg");
        assertThat((liveConfigMap("cfg").getData())).isEqualTo(Map.of("a", "3"));
        assertThat(requests.writes()).anyMatch(w -> w.startsWith("patch /api/v1/namespaces/" + apps + "/configmaps/cfg"))
                .noneMatch(w -> w.startsWith("update ") && w.contains("configmaps/cfg"));
        assertThat(deployer.loadOwnership().get("web").deploymentId()).isEqualTo("d2");
    }

    @Test
    void fieldsOthersAddedAreKeptAndOursChangedAreRestored() {
        deployer.apply(request("d1", List.of(configMap(apps, "cfg", Map.of("a", "1")))));
        admin.configMaps().inNamespace(apps).withName("cfg").edit(c -> new ConfigMapBuilder(c)
                .addToData("a", "changed").addToData("other", "theirs").build());

        deployer.apply(request("d2", List.of(configMap(apps, "cfg", Map.of("a", "1", "b", "2")))));

        assertThat(liveConfigMap("cfg").getData()).isEqualTo(Map.of("a", "1", "b", "2", "other", "theirs"));
    }

    @Test
    void objectsThatLeftTheBundleArePruned() {
        deployer.apply(request("d1", List.of(configMap(apps, "a", Map.of()), configMap(apps, "b", Map.of()))));

        ApplyOutcome outcome = deployer.apply(request("d2", List.of(configMap(apps, "a", Map.of()))));

        assertThat(outcome.pruned()).extracting(ObjectRef::name).containsExactly("b");
        assertThat(liveConfigMap("b")).isNull();
        assertThat(liveConfigMap("a")).isNotNull();
        assertThat(deployer.loadOwnership().get("web").owned()).extracting(ObjectRef::name).containsExactly("a");
    }

    @Test
    void objectOwnedBySomeoneElseIsNotTakenOver() {
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName(apps).endMetadata().build()).create();
        admin.configMaps().inNamespace(apps).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("cfg").endMetadata().addToData("a", "mine").build()).create();

        ApplyOutcome outcome = deployer.apply(request("d1", List.of(configMap(apps, "cfg", Map.of("a", "1")),
                configMap(apps, "other", Map.of()))));

        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.failure().kind()).isEqualTo(ApplyFailure.Kind.ERR_APPLIED);
        assertThat(outcome.failure().message()).isEqualTo("configmap.v1 " + apps + "/cfg is not owned by us");
        assertThat(liveConfigMap("cfg").getData()).containsEntry("a", "mine");
        assertThat(liveConfigMap("other")).isNotNull();
        assertThat(outcome.appliedDeploymentId()).isEmpty();
        assertThat(outcome.owned()).extracting(ObjectRef::name).containsExactly("other");
    }

    @Test
    void crdsAreAppliedBeforeTheirCustomResourcesAndDeletedOnlyWhenAsked() {
        var objects = List.of(custom("example.com/v1", "Widget", apps, "w1", map("size", 1)),
                crd("example.com", "Widget", "widgets"));
        ApplyOutcome outcome = deployer.apply(request("d1", objects));

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.created()).extracting(ObjectRef::kind).containsExactly("CustomResourceDefinition", "Widget");

        deployer.delete("web", false, false);

        assertThat(admin.genericKubernetesResources("example.com/v1", "Widget").inNamespace(apps)
                .withName("w1").get()).isNull();
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("widgets.example.com").get())
                .isNotNull();
        assertThat(deployer.loadOwnership()).isEmpty();
    }

    @Test
    void deleteWithDeleteCrdResourcesRemovesCustomResourcesBeforeTheCrd() throws Exception {
        deployer.apply(request("d1", List.of(crd("example2.com", "Widget", "widgets"),
                custom("example2.com/v1", "Widget", apps, "w1", map("size", 1)), configMap(apps, "cfg", Map.of()))));
        Requests requests = mark();

        deployer.delete("web", false, true);

        List<String> deletes = requests.writes().stream()
                .filter(w -> w.startsWith("delete ") && !w.contains("/secrets/")).toList();
        assertThat(deletes).hasSize(3);
        assertThat(deletes.get(2)).contains("customresourcedefinitions/widgets.example2.com");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(admin.apiextensions().v1()
                .customResourceDefinitions().withName("widgets.example2.com").get()).isNull());
        assertThat(liveConfigMap("cfg")).isNull();
    }

    @Test
    void keepResourcesLeavesObjectsAndDropsOnlyTheRecord() {
        deployer.apply(request("d1", List.of(configMap(apps, "cfg", Map.of("a", "1")))));

        deployer.delete("web", true, false);

        assertThat(liveConfigMap("cfg")).isNotNull();
        assertThat(deployer.loadOwnership()).isEmpty();
    }

    @Test
    void restartedDeployerKnowsWhatItOwnsAndRecreatesNothing() throws Exception {
        var objects = List.of(configMap(apps, "cfg", Map.of("a", "1")), deployment(apps, "web", "nginx:1"));
        deployer.apply(request("d1", objects));
        Requests requests = mark();

        Deployer restarted = new Deployer(agentClient, agentNamespace);
        Map<String, OwnedState> owned = restarted.loadOwnership();
        ApplyOutcome again = restarted.apply(owned.get("web").request());

        assertThat(owned.get("web").deploymentId()).isEqualTo("d1");
        assertThat(owned.get("web").request().objects()).isEqualTo(objects);
        assertThat(owned.get("web").options()).isEqualTo(options);
        assertThat(again.wroteObjects()).isFalse();
        // a restarted agent knows nothing is in sync yet: it may ask (dry run), but writes nothing
        assertThat(requests.writes()).allMatch(w -> w.contains("dryRun=All"));
    }

    @Test
    void namespaceIsCreatedWithLabelsAndAnnotationsAndKeptInLine() {
        var labelled = BundleDeploymentOptions.builder().namespace(team).namespaceLabels(Map.of(team, "a"))
                .namespaceAnnotations(Map.of("note", "x")).build();
        deployer.apply(new DeploymentRequest("web", "d1", labelled, List.of(configMap(team, "cfg", Map.of()))));
        assertThat(admin.namespaces().withName(team).get().getMetadata().getLabels())
                .containsEntry(team, "a");

        admin.namespaces().withName(team).edit(n -> {
            n.getMetadata().getLabels().put("stray", "y");
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "baseline");
            return n;
        });
        deployer.apply(new DeploymentRequest("web", "d1", labelled, List.of(configMap(team, "cfg", Map.of()))));

        var ns = admin.namespaces().withName(team).get().getMetadata();
        assertThat((ns.getLabels())).containsOnly(Map.entry(team, "a"), Map.entry("kubernetes.io/metadata.name", team),
                Map.entry("pod-security.kubernetes.io/enforce", "baseline"));
        assertThat(ns.getAnnotations()).containsOnly(Map.entry("note", "x"));
    }

    @Test
    void kindTheServerDoesNotKnowIsAnErrorWhileTheOtherObjectsApply() {
        ApplyOutcome outcome = deployer.apply(request("d1", List.of(
                custom("unknown.example.com/v1", "Gadget", apps, "g", map("a", 1)), configMap(apps, "cfg", Map.of()))));

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
        var labelled = BundleDeploymentOptions.builder().namespace(team).namespaceLabels(Map.of(team, "a")).build();
        var request = new DeploymentRequest("web", "d1", labelled, List.of(configMap(team, "cfg", Map.of())));
        deployer.apply(request);
        admin.namespaces().withName(team).edit(n -> {
            n.getMetadata().getLabels().put("stray", "y");
            return n;
        });
        deployer.apply(request);
        Requests requests = mark();

        deployer.apply(request);

        assertThat(requests.writes()).isEmpty();
    }

    @Test
    void sameDeploymentLeavesComparePatchPathsToOthers() throws Exception {
        var scaledByOthers = BundleDeploymentOptions.builder().namespace(apps).diff(new BundleDeploymentOptions.DiffOptions(
                List.of(new BundleDeploymentOptions.ComparePatch("apps/v1", "Deployment", "web", apps,
                        List.of("/spec/replicas"), null)))).build();
        var request = new DeploymentRequest("web", "d1", scaledByOthers, List.of(deployment(apps, "web", "nginx:1")));
        deployer.apply(request);
        admin.apps().deployments().inNamespace(apps).withName("web").scale(4);
        Requests requests = mark();

        deployer.apply(request);

        assertThat(requests.writes()).noneMatch(w -> !w.contains("dryRun=All"));
        assertThat(admin.apps().deployments().inNamespace(apps).withName("web").get().getSpec().getReplicas())
                .isEqualTo(4);
    }

    @Test
    void failedUpdateKeepsThePreviousDeploymentApplied() {
        deployer.apply(request("d1", List.of(configMap(apps, "cfg", Map.of("a", "1")))));
        denyConfigMapValue("deny-" + n, "2");

        ApplyOutcome outcome = deployer.apply(request("d2", List.of(configMap(apps, "cfg", Map.of("a", "2")))));

        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.failure().kind()).isEqualTo(ApplyFailure.Kind.ERR_APPLIED);
        assertThat(outcome.failure().message()).contains("ValidatingAdmissionPolicy", "deny-" + n, "a may not be 2");
        assertThat(outcome.appliedDeploymentId()).isEqualTo("d1");
        OwnedState record = deployer.loadOwnership().get("web");
        assertThat(record.deploymentId()).isEqualTo("d1");
        assertThat(record.requestedDeploymentId()).isEqualTo("d2");
        assertThat(record.owned()).extracting(ObjectRef::name).containsExactly("cfg");
        assertThat(liveConfigMap("cfg").getData()).containsEntry("a", "1");
    }

    /**
     * A real admission rejection: a ValidatingAdmissionPolicy (CEL, in the API server, no webhook) refusing
     * ConfigMaps of this test's namespace whose {@code data.a} is {@code value}. Effective once the policy's
     * type check has run; waits for that with a dry run.
     */
    private void denyConfigMapValue(String name, String value) {
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(apps).endMetadata().build()).createOr(r -> r.update());
        admin.resource(Serialization.unmarshal("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: %1$s}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                    - apiGroups: [""]
                      apiVersions: [v1]
                      operations: [CREATE, UPDATE]
                      resources: [configmaps]
                  validations:
                  - expression: "!has(object.data) || !('a' in object.data) || object.data['a'] != '%2$s'"
                    message: "a may not be %2$s"
                """.formatted(name, value), io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).create();
        admin.resource(Serialization.unmarshal("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %1$s}
                spec:
                  policyName: %1$s
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: %2$s}
                """.formatted(name, apps), io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).create();
        await("policy " + name + " in effect").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThatThrownBy(() -> admin.configMaps().inNamespace(apps).resource(new ConfigMapBuilder()
                        .withNewMetadata().withName("probe").endMetadata().addToData("a", value).build())
                        .dryRun().create()).hasMessageContaining("a may not be " + value));
    }

    @Test
    void createNamespaceFalseLeavesAMissingNamespaceMissing() {
        var noCreate = BundleDeploymentOptions.builder().namespace("absent-" + n).createNamespace(false).build();
        ApplyOutcome outcome = deployer.apply(new DeploymentRequest("web", "d1", noCreate,
                List.of(configMap("absent-" + n, "cfg", Map.of()))));
        assertThat(admin.namespaces().withName("absent-" + n).get()).isNull();
        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.failure().message()).isEqualTo("namespaces \"absent-" + n + "\" not found");
    }

    // --- what only a real API server shows: server-side apply, field managers, immutable fields, admission, RBAC

    @Test
    void fieldsOtherManagersSetAreKeptAndAreNotDrift() {
        var deploymentWithoutReplicas = deployment(apps, "web", "nginx:1");
        ((Map<?, ?>) deploymentWithoutReplicas.get("spec")).remove("replicas");
        var request = request("d1", List.of(deploymentWithoutReplicas, configMap(apps, "cfg", Map.of("a", "1"))));
        deployer.apply(request);
        // another controller: a sidecar container (strategic merge by name), a label, replicas (as an HPA does)
        admin.apps().deployments().inNamespace(apps).withName("web").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
                    .withName("sidecar").withImage("envoy:1").build());
            d.getMetadata().getLabels().put("team", "payments");
            d.getSpec().setReplicas(5);
            return d;
        });
        admin.configMaps().inNamespace(apps).withName("cfg").edit(c -> new ConfigMapBuilder(c)
                .addToData("added-by-someone", "x").build());
        Requests requests = mark();

        ApplyOutcome again = deployer.apply(request);

        assertThat(again.wroteObjects()).isFalse();
        assertThat(again.failure()).isNull();
        assertThat(requests.writes()).allMatch(w -> w.contains("dryRun=All"));

        ApplyOutcome upgrade = deployer.apply(new DeploymentRequest("web", "d2", options, List.of(
                withImage(deploymentWithoutReplicas, "nginx:2"), configMap(apps, "cfg", Map.of("a", "2")))));
        assertThat(upgrade.failure()).isNull();
        var live = admin.apps().deployments().inNamespace(apps).withName("web").get();
        assertThat(live.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage()).containsExactly("web=nginx:2", "sidecar=envoy:1");
        assertThat(live.getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(live.getSpec().getReplicas()).isEqualTo(5);
        assertThat(liveConfigMap("cfg").getData()).isEqualTo(Map.of("a", "2", "added-by-someone", "x"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withImage(Map<String, Object> deployment, String image) {
        Map<String, Object> copy = io.flotilla.agent.model.Maps.deepCopy(deployment);
        var containers = (List<Map<String, Object>>) io.flotilla.agent.model.Maps.list(copy, "spec", "template", "spec",
                "containers").stream().map(c -> (Map<String, Object>) c).toList();
        containers.get(0).put("image", image);
        return copy;
    }

    @Test
    void objectsAppliedClientSideByAnEarlierVersionAreTakenOverWithoutBeingRecreated() {
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(apps).endMetadata().build()).create();
        // as the client-side agent left it: created with labels and the last-applied annotation, as that agent
        Map<String, Object> old = Ownership.prepare(configMap(apps, "cfg", Map.of("a", "1", "gone", "x")), "web");
        Map<String, Object> annotations = io.flotilla.agent.model.Maps.child(
                io.flotilla.agent.model.Maps.child(old, "metadata"), "annotations");
        annotations.put(Ownership.LAST_APPLIED_ANNOTATION, io.flotilla.agent.model.Json.write(old));
        ConfigMap created = agentClient.resource(Serialization.unmarshal(io.flotilla.agent.model.Json.write(old),
                ConfigMap.class)).create();

        ApplyOutcome outcome = deployer.apply(request("d1", List.of(configMap(apps, "cfg", Map.of("a", "2")))));

        assertThat(outcome.failure()).isNull();
        ConfigMap live = liveConfigMap("cfg");
        assertThat(live.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(live.getData()).isEqualTo(Map.of("a", "2"));
        assertThat(live.getMetadata().getAnnotations()).doesNotContainKey(Ownership.LAST_APPLIED_ANNOTATION)
                .containsEntry(Ownership.OWNED_BY_ANNOTATION, "web");
        assertThat(live.getMetadata().getManagedFields()).extracting(f -> f.getManager() + "/" + f.getOperation())
                .containsExactly("flotilla/Apply");
    }

    @Test
    @SuppressWarnings("unchecked")
    void immutableFieldChangeFailsNamingTheFieldAndForceReplacesTheObject() {
        var service = map("apiVersion", "v1", "kind", "Service", "metadata", Manifests.meta(apps, "svc"),
                "spec", map("clusterIP", "10.0.0.50", "ports", List.of(map("port", 80))));
        deployer.apply(request("d1", List.of(service)));
        var moved = io.flotilla.agent.model.Maps.deepCopy(service);
        ((Map<String, Object>) moved.get("spec")).put("clusterIP", "10.0.0.51");

        ApplyOutcome refused = deployer.apply(request("d2", List.of(moved)));

        assertThat(refused.failure()).isNotNull();
        assertThat(refused.failure().message()).contains("Service \"svc\" is invalid", "spec.clusterIP",
                "may not change once set");
        assertThat(refused.failure().kind()).isEqualTo(ApplyFailure.Kind.NOT_INSTALLED);
        String uid = admin.services().inNamespace(apps).withName("svc").get().getMetadata().getUid();

        var force = BundleDeploymentOptions.builder().namespace(apps).helm(
                BundleDeploymentOptions.HelmOptions.builder().force(true).build()).build();
        ApplyOutcome forced = deployer.apply(new DeploymentRequest("web", "d3", force, List.of(moved)));

        assertThat(forced.failure()).isNull();
        var live = admin.services().inNamespace(apps).withName("svc").get();
        assertThat(live.getSpec().getClusterIP()).isEqualTo("10.0.0.51");
        assertThat(live.getMetadata().getUid()).isNotEqualTo(uid);
    }

    @Test
    void admissionRejectionSurfacesWhileTheOtherObjectsApply() {
        denyConfigMapValue("deny-first-" + n, "forbidden");

        ApplyOutcome outcome = deployer.apply(request("d1", List.of(configMap(apps, "bad", Map.of("a", "forbidden")),
                configMap(apps, "good", Map.of("a", "fine")),
                map("apiVersion", "v1", "kind", "ConfigMap", "metadata", Manifests.meta(apps, "Invalid_Name")))));

        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.errors()).extracting(ObjectError::message).anySatisfy(m ->
                assertThat(m).contains("a may not be forbidden")).anySatisfy(m ->
                assertThat(m).contains("Invalid_Name", "RFC 1123"));
        assertThat(liveConfigMap("good")).isNotNull();
        assertThat(liveConfigMap("bad")).isNull();
    }

    @Test
    void unknownFieldsAreRefusedByTheServerNamingTheField() {
        var typo = configMap(apps, "cfg", Map.of());
        typo.put("dataa", map("a", "1"));

        ApplyOutcome outcome = deployer.apply(request("d1", List.of(typo)));

        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.failure().message()).contains("dataa");
    }

    @Test
    void forbiddenByRbacSurfacesWithTheServersMessage() {
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(apps).endMetadata().build()).create();
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(agentNamespace).endMetadata().build()).create();
        // the restricted identity may keep its records and read, but not write ConfigMaps in the app namespace
        RestrictedRoles.create(admin);
        admin.resource(Serialization.unmarshal("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: restricted-view-%1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: flotilla-test-read}
                subjects: [{kind: User, name: restricted, apiGroup: rbac.authorization.k8s.io}]
                """.formatted(n), io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class)).createOr(r -> r.update());
        admin.resource(Serialization.unmarshal("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: restricted-records, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: flotilla-test-records}
                subjects: [{kind: User, name: restricted, apiGroup: rbac.authorization.k8s.io}]
                """.formatted(agentNamespace), io.fabric8.kubernetes.api.model.rbac.RoleBinding.class)).create();
        KubernetesClient restrictedClient = KUBE.get().newClient(KubeApiServer.User.RESTRICTED);
        await("RBAC in effect").atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                restrictedClient.secrets().inNamespace(agentNamespace).list());
        Deployer restricted = new Deployer(restrictedClient, agentNamespace);

        ApplyOutcome outcome = restricted.apply(request("d1", List.of(configMap(apps, "cfg", Map.of()))));

        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.failure().message()).contains("forbidden", "User \"restricted\"", "configmaps");
        assertThat(liveConfigMap("cfg")).isNull();
    }

    @Test
    void customResourcesApplyOnceTheirCrdInTheSameBundleIsEstablished() {
        var crd = crd("gadgets.example.com", "Gadget", "gadgets");
        ApplyOutcome outcome = deployer.apply(request("d1", List.of(
                custom("gadgets.example.com/v1", "Gadget", apps, "g1", map("size", 3)), crd)));

        assertThat(outcome.failure()).isNull();
        assertThat(admin.genericKubernetesResources("gadgets.example.com/v1", "Gadget").inNamespace(apps)
                .withName("g1").get().getAdditionalProperties()).containsEntry("spec", Map.of("size", 3));
    }

    @Test
    @SuppressWarnings("unchecked")
    void crdOverTheClientSideAnnotationLimitApplies() {
        var crd = crd("big.example.com", "Big", "bigs");
        // 300 KiB of schema descriptions: far beyond what a last-applied annotation (256 KiB) could hold
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            properties.put("field" + i, map("type", "string", "description", "x".repeat(1024)));
        }
        var version = (Map<String, Object>) ((List<?>) ((Map<?, ?>) crd.get("spec")).get("versions")).get(0);
        version.put("schema", map("openAPIV3Schema", map("type", "object", "properties",
                map("spec", map("type", "object", "properties", properties)))));

        ApplyOutcome outcome = deployer.apply(request("d1", List.of(crd)));

        assertThat(outcome.failure()).isNull();
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("bigs.big.example.com").get())
                .isNotNull();
        Requests requests = mark();
        assertThat(deployer.apply(request("d1", List.of(crd))).wroteObjects()).isFalse();
        // the server wrote the CRD's status since (Established): one dry run finds nothing to apply
        assertThat(requests.writes()).allMatch(w -> w.contains("dryRun=All"));
    }
}

package io.flotilla.manager.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.flotilla.manager.Manager;
import io.flotilla.manager.testing.ManagerClient;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.testing.ProtocolAgent;
import io.flotilla.proto.v1.AgentMessage;
import io.flotilla.proto.v1.Condition;
import io.flotilla.proto.v1.DeploymentStatus;
import io.flotilla.proto.v1.ManagerMessage;
import io.flotilla.proto.v1.ModifiedStatus;
import io.flotilla.proto.v1.NonReadyStatus;
import io.flotilla.proto.v1.ResourceCounts;
import io.flotilla.proto.v1.ResourceRef;
import io.flotilla.proto.v1.StatusReport;
import io.flotilla.testkit.KubeApiServers;
import io.vertx.core.Vertx;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The CRDs of {@code charts/flotilla-crds} on a real kube-apiserver: they are accepted and Established; every
 * object a real (embedded) manager produced — GitRepo, Bundles, BundleDeployments with agent reports, Clusters,
 * ClusterGroups, a token, and their statuses — is created and status-updated with strict field validation and
 * reads back unchanged (nothing pruned); invalid user objects are refused with a message naming the field.
 */
class CrdSchemaKubeIT {
    private static final String NS = "fleet-default";

    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();

    static KubernetesClient kube;

    @BeforeAll
    static void installCrds() {
        kube = KUBE.get().client();
        for (String yaml : CrdManifests.yamlDocuments()) {
            CustomResourceDefinition crd = kube.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
            kube.apiextensions().v1().customResourceDefinitions().resource(crd)
                    .fieldValidation(FieldValidateable.Validation.STRICT).create();
        }
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @Test
    void everyCrdIsAcceptedStructuralAndEstablished() {
        for (String plural : CrdManifests.PLURALS) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                CustomResourceDefinition crd = kube.apiextensions().v1().customResourceDefinitions()
                        .withName(CrdManifests.crdName(plural)).get();
                Map<String, String> conditions = new LinkedHashMap<>();
                crd.getStatus().getConditions().forEach(c -> conditions.put(c.getType(), c.getStatus()));
                assertThat(conditions).as(plural).containsEntry("Established", "True")
                        .containsEntry("NamesAccepted", "True").doesNotContainKey("NonStructuralSchema");
            });
        }
    }

    @Test
    void objectsOfARealManagerRoundTripWithoutAFieldPruned(@TempDir Path dir) throws Exception {
        Map<Kind, List<ObjectNode>> stored = objectsOfARealManager(dir);
        assertThat(stored.get(Kind.BUNDLE_DEPLOYMENT)).hasSize(4);
        ObjectNode web = stored.get(Kind.BUNDLE).stream().filter(b -> Json.name(b).equals("apps-web")).findFirst().orElseThrow();
        // a null in Helm values (it removes a chart default) must survive the API server as well
        assertThat(web.path("spec").path("helm").path("values").has("cleared")).isTrue();
        assertThat(web.path("spec").path("helm").path("values").get("cleared").isNull()).isTrue();

        int roundTripped = 0;
        for (Kind kind : List.of(Kind.CLUSTER_REGISTRATION_TOKEN, Kind.CLUSTER_GROUP, Kind.CLUSTER, Kind.GIT_REPO,
                Kind.BUNDLE, Kind.BUNDLE_DEPLOYMENT)) {
            for (ObjectNode object : stored.get(kind)) {
                ObjectNode desired = kubernetesForm(object);
                if (kind == Kind.BUNDLE) {
                    // Kubernetes mode keeps a bundle's resources in the Content object named by its content id
                    ObjectNode content = content(object);
                    assertThat(content.path("content").asText().length()).isGreaterThan(100);
                    roundTrip(content, Kind.GROUP + "/" + Kind.VERSION, "Content", null);
                    ((ObjectNode) desired.get("spec")).remove("resources");
                }
                roundTrip(desired, kind.apiVersion(), kind.kindName(), Json.namespace(object));
                roundTripped++;
            }
        }
        assertThat(roundTripped).isEqualTo(1 + 2 + 2 + 1 + 2 + 4);

        // what `kubectl get gitrepos,bundles,clusters -A` shows (the server's Table rendering)
        Map<String, String> gitRepo = table("gitrepos").get(0);
        assertThat(gitRepo).containsEntry("Name", "apps").containsEntry("Repo", Json.text(
                stored.get(Kind.GIT_REPO).get(0).path("spec"), "repo")).containsEntry("BundleDeployments-Ready", "2/4")
                .containsEntry("Ready", "False");
        assertThat(gitRepo.get("Commit")).hasSize(40);
        assertThat(gitRepo.get("Status")).contains("[Bundle apps-").contains("deployment.apps");
        assertThat(table("bundles")).extracting(row -> row.get("BundleDeployments-Ready")).containsOnly("1/2");
        assertThat(table("clusters")).extracting(row -> row.get("Name") + " " + row.get("Bundles-Ready") + " "
                + row.get("Connected")).containsExactlyInAnyOrder("c1 2/2 true", "c2 0/2 true");
        assertThat(table("bundledeployments")).extracting(row -> row.get("Deployed"))
                .containsExactlyInAnyOrder("True", "True", "True", "True");
    }

    /** The GitRepo of the README's quickstart is what users `kubectl apply` first: it must pass strict validation. */
    @Test
    void theReadmeGitRepoIsValid() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```yaml\n# gitrepo.yaml\n");
        assertThat(start).as("README quickstart has a gitrepo.yaml block").isNotNegative();
        String yaml = readme.substring(start + "```yaml\n".length(), readme.indexOf("```", start + 7));
        ObjectNode gitRepo = (ObjectNode) Json.YAML.readTree(yaml);
        String namespace = Json.namespace(gitRepo);
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("readme").endMetadata().build())
                .create();
        Json.metadata(gitRepo).put("namespace", "readme");
        GenericKubernetesResource created = kube.genericKubernetesResources(Kind.API_VERSION, "GitRepo")
                .inNamespace("readme").resource(fromJson(gitRepo)).fieldValidation(FieldValidateable.Validation.STRICT)
                .create();
        assertThat(namespace).isEqualTo(NS);
        assertThat(toJson(created).get("spec")).isEqualTo(gitRepo.get("spec"));
    }

    /** A user's mistakes are refused by the API server itself, naming the field. */
    @ParameterizedTest(name = "{0}: {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            gitrepos                  | {"repo": 5}                                          | spec.repo | must be of type string
            gitrepos                  | {"branch": "main"}                                   | spec.repo | Required value
            gitrepos                  | {"repo": "https://git.example/a.git", "repoo": "x"}  | spec.repoo | unknown field
            gitrepos                  | {"repo": "https://git.example/a.git", "pollingInterval": "soon"} | spec.pollingInterval | should match
            gitrepos                  | {"repo": "https://git.example/a.git", "targets": [{"clusterSelector": {"matchLabels": {"env": 1}}}]} | spec.targets[0].clusterSelector.matchLabels.env | must be of type string
            gitrepos                  | {"repo": "https://git.example/a.git", "targets": [{"clusterSelektor": {}}]} | spec.targets[0].clusterSelektor | unknown field
            gitrepos                  | {"repo": "https://git.example/a.git", "paused": "yes"} | spec.paused | must be of type boolean
            clustergroups             | {"selector": {"matchExpressions": [{"key": "env", "operator": "Equals"}]}} | spec.selector.matchExpressions[0].operator | Unsupported value
            clusters                  | {"templateValues": "region=eu"}                      | spec.templateValues | must be of type object
            clusterregistrationtokens | {"ttl": "forever"}                                   | spec.ttl | should match
            """)
    void invalidUserObjectsAreRefusedNamingTheField(String plural, String spec, String field, String why)
            throws Exception {
        Kind kind = Kind.byPlural(plural).orElseThrow();
        ObjectNode object = Json.newObject(kind, NS, "invalid-" + plural.substring(0, 6));
        object.set("spec", Json.MAPPER.readTree(spec));
        GenericKubernetesResource resource = kube.getKubernetesSerialization().unmarshal(object.toString(),
                GenericKubernetesResource.class);
        assertThatThrownBy(() -> kube.genericKubernetesResources(kind.apiVersion(), kind.kindName()).inNamespace(NS)
                .resource(resource).fieldValidation(FieldValidateable.Validation.STRICT).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isIn(400, 422);
                    assertThat(e.getMessage()).contains(field).contains(why);
                });
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Creates the object (strict field validation), writes its status through /status, reads it back. */
    private static void roundTrip(ObjectNode desired, String apiVersion, String kindName, String namespace)
            throws Exception {
        JsonNode status = desired.remove("status");
        var resources = kube.genericKubernetesResources(apiVersion, kindName);
        if (namespace != null && kube.namespaces().withName(namespace).get() == null) {
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
        }
        var op = namespace == null ? resources : resources.inNamespace(namespace);
        GenericKubernetesResource created = op.resource(fromJson(desired))
                .fieldValidation(FieldValidateable.Validation.STRICT).create();
        String name = Json.name(desired);
        if (status != null) {
            ObjectNode withStatus = toJson(created);
            withStatus.set("status", status);
            op.resource(fromJson(withStatus)).fieldValidation(FieldValidateable.Validation.STRICT).updateStatus();
        }
        ObjectNode read = toJson(op.withName(name).get());
        String what = kindName + " " + name;
        for (String field : List.of("spec", "sha256sum", "content")) {
            assertThat(read.get(field)).as(what + " " + field).isEqualTo(desired.get(field));
        }
        assertThat(read.path("metadata").path("labels")).as(what + " labels").isEqualTo(desired.path("metadata").path("labels"));
        assertThat(read.get("status")).as(what + " status").isEqualTo(status);
    }

    private static GenericKubernetesResource fromJson(JsonNode json) {
        return kube.getKubernetesSerialization().unmarshal(json.toString(), GenericKubernetesResource.class);
    }

    private static ObjectNode toJson(GenericKubernetesResource resource) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(kube.getKubernetesSerialization().asJson(resource));
    }

    /** The object as a user or the Kubernetes store writes it: metadata reduced to what a client sets. */
    private static ObjectNode kubernetesForm(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        ObjectNode metadata = Json.object();
        JsonNode original = object.path("metadata");
        for (String f : List.of("name", "namespace", "labels", "annotations")) {
            if (original.hasNonNull(f)) {
                metadata.set(f, original.get(f));
            }
        }
        copy.set("metadata", metadata);
        return copy;
    }

    /** The Content object of a bundle: base64 of the gzip of its resources' JSON array, and that JSON's SHA-256. */
    private static ObjectNode content(ObjectNode bundle) throws Exception {
        byte[] json = Json.MAPPER.writeValueAsBytes(bundle.path("spec").path("resources"));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(json);
        }
        ObjectNode content = Json.object();
        content.put("apiVersion", Kind.API_VERSION);
        content.put("kind", "Content");
        content.putObject("metadata").put("name", bundle.path("spec").path("contentId").asText());
        content.put("sha256sum", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)));
        content.put("content", Base64.getEncoder().encodeToString(gz.toByteArray()));
        return content;
    }

    /** Rows of the API server's Table for {@code plural} in every namespace, column name → cell. */
    private static List<Map<String, String>> table(String plural) throws Exception {
        var http = kube.getHttpClient();
        var request = http.newHttpRequestBuilder().uri(kube.getMasterUrl() + "apis/flotilla.io/v1alpha1/" + plural)
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build();
        var response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
        assertThat(response.code()).as(response.body()).isEqualTo(200);
        JsonNode table = Json.MAPPER.readTree(response.body());
        List<String> columns = new ArrayList<>();
        table.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asText()));
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode row : table.path("rows")) {
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                cells.put(columns.get(i), row.path("cells").get(i).asText());
            }
            rows.add(cells);
        }
        return rows;
    }

    // --- a real manager, a real git repository, two agents' reports -------------------------------------------

    private static Map<Kind, List<ObjectNode>> objectsOfARealManager(Path dir) throws Exception {
        Path origin = dir.resolve("origin");
        String commit = writeRepository(origin);
        Manager manager = Manager.start(ManagerConfig.defaults(dir.resolve("data"), "127.0.0.1", 0)
                        // the repository is a local directory (file://), off unless allowed
                        .withGitAccess(new io.flotilla.manager.git.GitAccessPolicy(true, false, false)))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Vertx vertx = Vertx.vertx();
        try {
            post(manager, "clustergroups", """
                    {"metadata": {"name": "dev-group", "labels": {"team": "web"}},
                     "spec": {"selector": {"matchExpressions": [{"key": "env", "operator": "In", "values": ["dev"]}]}}}""");
            post(manager, "clustergroups", """
                    {"metadata": {"name": "everything"}, "spec": {"selector": {}}}""");
            String token = Json.MAPPER.readTree(post(manager, "clusterregistrationtokens",
                    "{\"metadata\": {\"name\": \"agents\"}, \"spec\": {\"ttl\": \"2h\"}}")).path("status").path("token").asText();
            ProtocolAgent c1 = new ProtocolAgent(vertx, ManagerClient.admin(manager)).register(token, "c1", Map.of("env", "dev"));
            ProtocolAgent c2 = new ProtocolAgent(vertx, ManagerClient.admin(manager)).register(token, "c2",
                    Map.of("env", "prod", "region", "eu-west"));
            c1.connect(Map.of());
            c2.connect(Map.of());
            post(manager, "gitrepos", """
                    {"metadata": {"name": "apps", "labels": {"team": "web"}},
                     "spec": {"repo": "%s", "branch": "main", "paths": ["guestbook", "web"], "pollingInterval": "1h",
                              "keepResources": true, "correctDrift": {"enabled": true},
                              "targets": [{"name": "dev", "clusterGroup": "dev-group"},
                                          {"name": "prod", "clusterSelector": {"matchLabels": {"env": "prod"}}}]}}"""
                    .formatted(origin.toUri()));

            await().atMost(Duration.ofSeconds(30)).until(() -> upserts(c1).size() == 2 && upserts(c2).size() == 2);
            long sequence = 1;
            c1.send(report(sequence, upserts(c1), false));
            c2.send(report(sequence, upserts(c2), true));

            // everything the controllers write has been persisted: git fields, aggregates, liveness
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode status = manager.store().get(new ObjectKey(Kind.GIT_REPO, NS, "apps")).orElseThrow().path("status");
                assertThat(status.path("commit").asText()).isEqualTo(commit);
                assertThat(status.path("display").path("readyBundleDeployments").asText()).isEqualTo("2/4");
                assertThat(status.path("readyClusters").asInt()).isEqualTo(1);
                assertThat(status.path("resources").size()).isGreaterThan(0);
                assertThat(Conditions.get(status, "Ready")).isEqualTo("False");
                // the Ready message settles on the non-ready Deployment once both reports are aggregated
                assertThat(status.path("conditions").toString()).contains("deployment.apps");
                for (ObjectNode cluster : manager.store().list(Kind.CLUSTER, NS)) {
                    assertThat(cluster.path("status").path("agent").path("connected").asBoolean()).isTrue();
                    assertThat(cluster.path("status").path("display").path("readyBundles").asText()).endsWith("/2");
                }
                for (ObjectNode group : manager.store().list(Kind.CLUSTER_GROUP, NS)) {
                    assertThat(group.path("status").has("display")).isTrue();
                }
                for (ObjectNode bd : manager.store().list(Kind.BUNDLE_DEPLOYMENT, null)) {
                    assertThat(bd.path("status").path("reportedSequence").asLong()).isEqualTo(1);
                }
            });
            manager.status().sync();
            Map<Kind, List<ObjectNode>> objects = new LinkedHashMap<>();
            for (Kind kind : Kind.values()) {
                objects.put(kind, manager.store().list(kind, null));
            }
            c1.close();
            c2.close();
            return objects;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<io.flotilla.proto.v1.DeploymentUpsert> upserts(ProtocolAgent agent) {
        return agent.received().stream().filter(ManagerMessage::hasUpsert).map(ManagerMessage::getUpsert).toList();
    }

    /** What a real agent reports: all Ready, or (for the second cluster) a Deployment not ready and a drifted ConfigMap. */
    private static AgentMessage report(long sequence, List<io.flotilla.proto.v1.DeploymentUpsert> upserts, boolean broken) {
        StatusReport.Builder report = StatusReport.newBuilder().setSequence(sequence);
        long transition = 1_767_000_000_000L;
        for (var upsert : upserts) {
            boolean web = upsert.getName().endsWith("web");
            DeploymentStatus.Builder st = DeploymentStatus.newBuilder().setName(upsert.getName())
                    .setAppliedDeploymentId(upsert.getDeploymentId()).setReady(!broken).setNonModified(!broken)
                    .addResources(ResourceRef.newBuilder().setKind("Deployment").setApiVersion("apps/v1")
                            .setNamespace(web ? "web" : "guestbook").setName(web ? "web" : "frontend"))
                    .addResources(ResourceRef.newBuilder().setKind("ConfigMap").setApiVersion("v1")
                            .setNamespace(web ? "web" : "guestbook").setName("settings"))
                    .setResourceCounts(ResourceCounts.newBuilder().setDesiredReady(2).setReady(broken ? 0 : 2)
                            .setNotReady(broken ? 1 : 0).setModified(broken ? 1 : 0))
                    .addConditions(Condition.newBuilder().setType("Deployed").setStatus("True")
                            .setLastTransitionUnixMillis(transition))
                    .addConditions(Condition.newBuilder().setType("Installed").setStatus("True"))
                    .addConditions(Condition.newBuilder().setType("Monitored").setStatus("True"));
            if (broken) {
                st.addNonReady(NonReadyStatus.newBuilder().setUid("0b7c1e52-8d4f-4a55-9c1a-1f0f5d7f3a11")
                                .setKind("Deployment").setApiVersion("apps/v1").setNamespace(web ? "web" : "guestbook")
                                .setName(web ? "web" : "frontend").setState("in-progress").setTransitioning(true)
                                .addMessage("Available: 0/2").addMessage("Deployment does not have minimum availability."))
                        .addModified(ModifiedStatus.newBuilder().setKind("ConfigMap").setApiVersion("v1")
                                .setNamespace(web ? "web" : "guestbook").setName("settings")
                                .setPatch("{\"data\":{\"mode\":\"debug\"}}"))
                        .addConditions(Condition.newBuilder().setType("Ready").setStatus("False").setReason("NotReady")
                                .setMessage("deployment.apps " + (web ? "web/web" : "guestbook/frontend") + " [progressing]"));
            } else {
                st.addConditions(Condition.newBuilder().setType("Ready").setStatus("True"));
            }
            report.addDeployments(st);
        }
        return AgentMessage.newBuilder().setReport(report).build();
    }

    private static String post(Manager manager, String plural, String json) throws Exception {
        HttpResponse<String> response = ManagerClient.admin(manager).send("POST",
                "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/" + plural, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.body();
    }

    /** Two bundles whose fleet.yaml use most options users write: raw YAML with overlays, and a Helm chart. */
    private static String writeRepository(Path origin) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("guestbook/fleet.yaml", """
                defaultNamespace: guestbook
                labels:
                  app: guestbook
                namespaceLabels:
                  team: web
                namespaceAnnotations:
                  owner: web-team
                keepResources: true
                createNamespace: true
                serviceAccount: deployer
                diff:
                  comparePatches:
                  - apiVersion: apps/v1
                    kind: Deployment
                    name: frontend
                    namespace: guestbook
                    jsonPointers: ["/spec/replicas"]
                    operations:
                    - {op: remove, path: /spec/template/metadata/annotations}
                ignore:
                  conditions:
                  - {type: Progressing, status: "False"}
                correctDrift:
                  enabled: true
                  force: true
                downstreamResources:
                - {kind: ConfigMap, name: settings}
                dependsOn:
                - name: apps-web
                - selector: {matchLabels: {tier: db}}
                  acceptedStates: [Ready, Modified]
                targetCustomizations:
                - name: dev
                  clusterSelector: {matchLabels: {env: dev}}
                  yaml:
                    overlays: [dev]
                  namespaceLabels: {stage: dev}
                - name: never
                  clusterName: c9
                  doNotDeploy: true
                """);
        files.put("guestbook/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: frontend}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: frontend}}
                  template:
                    metadata: {labels: {app: frontend}}
                    spec:
                      containers: [{name: web, image: "nginx:1.27"}]
                """);
        files.put("guestbook/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: normal}\n");
        files.put("guestbook/overlays/dev/configmap_patch.yaml", "data: {mode: dev}\n");
        files.put("web/fleet.yaml", """
                defaultNamespace: web
                helm:
                  chart: ./chart
                  releaseName: web
                  timeoutSeconds: 300
                  maxHistory: 5
                  takeOwnership: true
                  waitForJobs: true
                  atomic: false
                  values:
                    replicas: 2
                    image: {repository: nginx, tag: "1.27"}
                    env: [{name: MODE, value: "1"}]
                    ingress: {enabled: false, hosts: []}
                    cleared: null
                  valuesFrom:
                  - configMapKeyRef: {name: web-values, namespace: web, key: values.yaml}
                targetCustomizationMode: AllMatches
                targetCustomizations:
                - name: prod
                  clusterSelector:
                    matchExpressions:
                    - {key: env, operator: In, values: [prod]}
                  helm:
                    values:
                      replicas: 3
                - name: eu
                  clusterSelector:
                    matchExpressions:
                    - {key: region, operator: Exists}
                  helm:
                    values:
                      region: eu
                """);
        files.put("web/chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
        files.put("web/chart/values.yaml", "replicas: 1\n");
        files.put("web/chart/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: {{ .Values.replicas }}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: "nginx:1.27"}]
                """);
        try (Git git = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
            StoredConfig config = git.getRepository().getConfig();
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            config.save();
            for (var file : files.entrySet()) {
                Path path = origin.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
            git.add().addFilepattern(".").call();
            return git.commit().setMessage("apps").setSign(false).setAuthor("test", "test@example.com")
                    .setCommitter("test", "test@example.com").call().name();
        }
    }
}

package io.flotilla.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.kube.CrdManifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.flotilla.e2e.charts.ChartValues.AGENT_NS;
import static io.flotilla.e2e.charts.ChartValues.MANAGER_NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The three charts render (helm-java) with default and non-default values into the objects users expect. */
class ChartsRenderTest {
    @TempDir
    Path scratch;

    private static List<String> args(JsonNode deployment) {
        List<String> args = new ArrayList<>();
        container(deployment).path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static JsonNode container(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static JsonNode podSpec(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec");
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> names = new ArrayList<>();
        array.forEach(e -> names.add(e.path(field).asText()));
        return names;
    }

    /** The restricted pod security profile of both components. */
    private static void assertRestricted(JsonNode deployment) {
        JsonNode pod = podSpec(deployment).path("securityContext");
        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        JsonNode c = container(deployment).path("securityContext");
        assertThat(c.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(c.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(c.path("capabilities").path("drop")).extracting(JsonNode::asText).containsExactly("ALL");
        assertThat(c.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    }

    @Test
    void crdChartRendersTheFilesTheManagerShips() throws Exception {
        var rendered = Charts.render("flotilla-crds", "flotilla-crds", MANAGER_NS, null, scratch);
        assertThat(rendered.kinds()).hasSize(CrdManifests.PLURALS.size()).containsOnly("CustomResourceDefinition");
        for (String plural : CrdManifests.PLURALS) {
            assertThat(rendered.find("CustomResourceDefinition", CrdManifests.crdName(plural)))
                    .contains(Json.YAML.readTree(CrdManifests.yaml(plural)));
        }
    }

    @Test
    void managerAndCrdChartsPassStrictLint() {
        for (String chart : List.of("flotilla", "flotilla-crds")) {
            var lint = new Helm(Charts.DIR.resolve(chart)).lint().strict().call();
            assertThat(lint.isFailed()).as(chart + ": " + lint.getMessages()).isFalse();
        }
    }

    @Test
    void managerWithDefaults() throws Exception {
        var r = Charts.render("flotilla", "flotilla", MANAGER_NS, null, scratch);
        assertThat(r.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                "RoleBinding", "Service", "Deployment");
        JsonNode deployment = r.one("Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(args(deployment)).containsExactly("manager", "--store", "kubernetes", "--namespace", MANAGER_NS,
                "--listen", "0.0.0.0:8080", "--data-dir", "/var/lib/flotilla", "--identity", "$(POD_NAME)",
                "--lease-name", "flotilla", "--lease-duration", "15s", "--renew-deadline", "10s", "--retry-period", "2s",
                "--install-crds=false", "--tls-san", "flotilla,flotilla." + MANAGER_NS + ",flotilla." + MANAGER_NS
                        + ".svc,flotilla." + MANAGER_NS + ".svc.cluster.local");
        assertThat(container(deployment).path("image").asText()).isEqualTo("flotilla/flotilla:0.1.0");
        assertThat(names(container(deployment).path("env"), "name")).containsExactly("POD_NAME", "POD_NAMESPACE", "JAVA_OPTS");
        assertThat(container(deployment).path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(container(deployment).path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
        assertThat(container(deployment).path("readinessProbe").path("httpGet").path("scheme").asText())
                .as("TLS by default (a generated CA), so the probes speak HTTPS").isEqualTo("HTTPS");
        assertThat(container(deployment).path("livenessProbe").path("httpGet").path("scheme").asText()).isEqualTo("HTTPS");
        assertRestricted(deployment);
        assertThat(names(podSpec(deployment).path("volumes"), "name")).containsExactly("data", "tmp");
        assertThat(podSpec(deployment).has("nodeSelector")).isFalse();
        assertThat(podSpec(deployment).path("serviceAccountName").asText()).isEqualTo("flotilla");

        JsonNode service = r.one("Service");
        assertThat(service.path("spec").path("type").asText()).isEqualTo("ClusterIP");
        assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(8080);
        assertThat(service.path("spec").path("ports").get(0).path("appProtocol").asText()).isEqualTo("https");

        // RBAC: its API, cluster namespaces, Secrets, Events, reviews; no CRD rights without crds.install
        String rules = r.one("ClusterRole").path("rules").toString();
        assertThat(rules).contains("gitrepos/status").contains("\"contents\"").contains("tokenreviews")
                .contains("subjectaccessreviews").contains("\"secrets\"").contains("\"events\"")
                .doesNotContain("customresourcedefinitions").doesNotContain("\"*\"");
        JsonNode role = r.one("Role");
        assertThat(role.path("metadata").path("namespace").asText()).isEqualTo(MANAGER_NS);
        assertThat(role.path("rules").toString()).contains("leases").contains("\"flotilla\"");
        assertThat(r.one("ClusterRoleBinding").path("subjects").get(0).path("namespace").asText()).isEqualTo(MANAGER_NS);
    }

    @Test
    void managerInPlaintextOnlyWhenToldTo() throws Exception {
        var r = Charts.render("flotilla", "flotilla", MANAGER_NS, "tls: {plaintext: true}\n", scratch);
        JsonNode deployment = r.one("Deployment");
        assertThat(args(deployment)).contains("--plaintext").doesNotContain("--tls-san", "--tls-cert-file");
        assertThat(container(deployment).path("readinessProbe").path("httpGet").path("scheme").asText()).isEqualTo("HTTP");
        assertThat(r.one("Service").path("spec").path("ports").get(0).path("appProtocol").asText()).isEqualTo("kubernetes.io/h2c");
    }

    @Test
    void managerWithTwoReplicasTlsAndPlacement() throws Exception {
        var r = Charts.render("flotilla", "flotilla", MANAGER_NS, ChartValues.MANAGER_CUSTOM, scratch);
        assertThat(r.kinds()).contains("PodDisruptionBudget");
        assertThat(r.one("PodDisruptionBudget").path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        JsonNode deployment = r.one("Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(deployment.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asText())
                .isEqualTo("100%");
        List<String> args = args(deployment);
        assertThat(args).containsSequence("--listen", "0.0.0.0:8443").containsSequence("--lease-name", "flotilla-leader")
                .containsSequence("--lease-duration", "30s").containsSequence("--renew-deadline", "20s")
                .containsSequence("--retry-period", "5s").contains("--install-crds=true")
                .containsSequence("--tls-cert-file", "/tls/tls.crt", "--tls-key-file", "/tls/tls.key");
        assertThat(args.subList(args.size() - 2, args.size()))
                .containsExactly("--offline-timeout=30s", "--heartbeat-interval=10s");
        JsonNode c = container(deployment);
        assertThat(c.path("image").asText()).isEqualTo("registry.example.com/flotilla/flotilla:0.1.0-rc1");
        assertThat(c.path("imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(c.path("readinessProbe").path("httpGet").path("scheme").asText()).isEqualTo("HTTPS");
        assertThat(c.path("livenessProbe").path("httpGet").path("scheme").asText()).isEqualTo("HTTPS");
        assertThat(names(c.path("env"), "name")).containsExactly("POD_NAME", "POD_NAMESPACE", "JAVA_OPTS", "TZ");
        assertThat(c.path("resources").path("requests").path("cpu").asText()).isEqualTo("1");
        assertThat(c.path("resources").path("limits").path("memory").asText()).isEqualTo("2Gi");
        assertThat(names(c.path("volumeMounts"), "mountPath")).contains("/tls");
        JsonNode pod = podSpec(deployment);
        assertThat(pod.path("volumes").toString()).contains("\"secretName\":\"flotilla-tls\"");
        assertThat(pod.path("nodeSelector").path("node-role.kubernetes.io/control-plane").asText()).isEmpty();
        assertThat(pod.path("tolerations").get(0).path("key").asText()).isEqualTo("node-role.kubernetes.io/control-plane");
        assertThat(pod.path("affinity").path("podAntiAffinity").isObject()).isTrue();
        assertThat(pod.path("priorityClassName").asText()).isEqualTo("system-cluster-critical");
        assertThat(pod.path("imagePullSecrets").get(0).path("name").asText()).isEqualTo("registry-credentials");
        assertRestricted(deployment);
        JsonNode service = r.one("Service");
        assertThat(service.path("spec").path("type").asText()).isEqualTo("LoadBalancer");
        assertThat(service.path("spec").path("ports").get(0).path("appProtocol").asText()).isEqualTo("https");
        assertThat(r.one("ClusterRole").path("rules").toString()).contains("customresourcedefinitions")
                .contains("contents.flotilla.io");
        assertThat(r.one("Role").path("rules").toString()).contains("\"flotilla-leader\"");
    }

    @Test
    void agentWithATokenIsClusterAdminAndKeepsItsStateInASecret() throws Exception {
        var r = Charts.render("flotilla-agent", "flotilla-agent", AGENT_NS, ChartValues.AGENT_MINIMAL, scratch);
        assertThat(r.kinds()).containsExactlyInAnyOrder("ServiceAccount", "Secret", "ClusterRoleBinding", "Role",
                "RoleBinding", "Deployment");
        JsonNode binding = r.one("ClusterRoleBinding");
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo("cluster-admin");
        JsonNode secret = r.one("Secret");
        assertThat(new String(Base64.getDecoder().decode(secret.path("data").path("token").asText()),
                StandardCharsets.UTF_8)).isEqualTo("flotilla-token.fleet-default.agents.s3cr3t");
        JsonNode deployment = r.one("Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(deployment.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
        assertThat(args(deployment)).containsExactly("agent", "--manager", "https://flotilla.example.com:8443",
                "--cluster-name", "edge-1", "--token-file", "/token/token", "--state-secret",
                AGENT_NS + "/flotilla-agent-state", "--state-dir", "/var/lib/flotilla-agent");
        assertRestricted(deployment);
        JsonNode tokenVolume = podSpec(deployment).path("volumes").get(2);
        assertThat(tokenVolume.path("secret").path("secretName").asText()).isEqualTo("flotilla-agent-token");
        assertThat(tokenVolume.path("secret").path("optional").asBoolean()).isTrue();
        JsonNode state = r.find("Role", "flotilla-agent-state").orElseThrow();
        assertThat(state.path("rules").toString()).contains("\"flotilla-agent-state\"");
    }

    @Test
    void agentWithRestrictedRbacAnExistingSecretAndPlacement() throws Exception {
        var r = Charts.render("flotilla-agent", "edge", AGENT_NS, ChartValues.AGENT_CUSTOM, scratch);
        assertThat(r.kinds()).doesNotContain("Secret");
        assertThat(r.ofKind("ClusterRoleBinding")).extracting(b -> b.path("roleRef").path("name").asText())
                .containsExactly("edge-flotilla-agent");
        assertThat(r.one("ClusterRole").path("rules").toString()).contains("\"get\",\"list\",\"watch\"")
                .doesNotContain("create");
        assertThat(r.ofKind("Role")).extracting(role -> role.path("metadata").path("namespace").asText() + "/"
                + role.path("metadata").path("name").asText()).containsExactlyInAnyOrder(
                "apps/edge-flotilla-agent-deploy", "web/edge-flotilla-agent-deploy",
                "flotilla-system/edge-flotilla-agent-records", AGENT_NS + "/edge-flotilla-agent-state");
        assertThat(r.ofKind("RoleBinding")).hasSize(4);
        JsonNode deployment = r.one("Deployment");
        assertThat(args(deployment)).containsSequence("--cluster-name", "edge-2")
                .containsSequence("--labels", "env=prod,region=eu-west")
                .containsSequence("--state-secret", AGENT_NS + "/edge-flotilla-agent-state")
                .containsSequence("--metrics-listen", "0.0.0.0:9102");
        assertThat(container(deployment).path("ports").get(0).path("containerPort").asInt()).isEqualTo(9102);
        JsonNode pod = podSpec(deployment);
        assertThat(pod.path("volumes").toString()).contains("\"secretName\":\"agent-registration\"")
                .contains("\"key\":\"value\"");
        assertThat(pod.path("nodeSelector").path("kubernetes.io/os").asText()).isEqualTo("linux");
        assertThat(pod.path("tolerations").get(0).path("key").asText()).isEqualTo("edge");
        assertThat(container(deployment).path("resources").path("limits").path("memory").asText()).isEqualTo("384Mi");
        assertThat(names(container(deployment).path("env"), "name")).containsExactly("JAVA_OPTS", "HTTPS_PROXY");
        assertThat(names(pod.path("volumes"), "name")).containsExactly("scratch", "tmp", "token", "manager-ca");
        assertThat(names(container(deployment).path("volumeMounts"), "mountPath"))
                .containsExactly("/var/lib/flotilla-agent", "/tmp", "/token", "/etc/flotilla/ca");
        assertRestricted(deployment);
    }

    @Test
    void agentWithoutManagerUrlSaysWhatIsMissing() {
        assertThatThrownBy(() -> Charts.render("flotilla-agent", "flotilla-agent", AGENT_NS, "clusterName: edge-1\n",
                scratch)).hasMessageContaining("managerURL is required");
    }
}

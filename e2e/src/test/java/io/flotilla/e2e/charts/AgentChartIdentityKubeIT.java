package io.flotilla.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.ChildJvm;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.e2e.support.KubeCluster;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent as the flotilla-agent chart runs it, with the chart's restricted identity: the chart installed for
 * real on a downstream kube-apiserver, the CLI agent started with exactly the arguments of the rendered
 * Deployment, acting as the chart's ServiceAccount (TokenRequest token; the only difference from a pod is that
 * the token comes in a kubeconfig rather than the service-account mount). It registers, keeps its credential in
 * the state Secret and deploys into an allowed namespace; a bundle aimed at a namespace outside
 * {@code rbac.restricted.namespaces} fails with the API server's refusal. A missing RBAC rule fails this test.
 */
@ExtendWith(RequiresKubeApiServer.class)
class AgentChartIdentityKubeIT {
    private static final String NS = "flotilla-system";

    @TempDir
    Path dir;
    Fleet fleet;
    ChildJvm agent;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("app/fleet.yaml", "defaultNamespace: apps\n");
        fleet.git.write("app/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  k: v\n");
        fleet.git.write("outside/fleet.yaml", "defaultNamespace: kube-public\n");
        fleet.git.write("outside/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\n");
        fleet.addKubeCluster("edge-2");
        fleet.createGitRepo("apps", "[{\"clusterSelector\":{}}]");
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        fleet.close();
    }

    @Test
    void theRestrictedChartIdentityRegistersKeepsItsStateAndDeploysOnlyWhereAllowed() throws Exception {
        KubeCluster cluster = (KubeCluster) fleet.clusters.get("edge-2");
        KubernetesClient admin = cluster.client();
        String values = ChartValues.AGENT_CUSTOM.replace("https://flotilla.example.com:8443",
                fleet.managerUrl().toString());
        Charts.Rendered rendered = Charts.render("flotilla-agent", "edge", NS, values, dir);
        ChartInstall.ensureNamespace(admin, NS);
        ChartInstall.ensureNamespace(admin, "apps");
        ChartInstall.ensureNamespace(admin, "web");
        ChartInstall.apply(admin, rendered);
        // the Secret the values name (existingSecret: agent-registration, key "value"), created by the admin
        admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("agent-registration")
                .endMetadata().addToStringData("value", fleet.token()).build()).create();
        Path token = Files.createDirectories(dir.resolve("token")).resolve("token");
        Files.writeString(token, admin.secrets().inNamespace(NS).withName("agent-registration").get().getData()
                .get("value").transform(v -> new String(java.util.Base64.getDecoder().decode(v))));

        // exactly the container's arguments, with the two mount paths pointing into the test's directory
        JsonNode deployment = rendered.one("Deployment");
        List<String> args = new ArrayList<>();
        deployment.path("spec").path("template").path("spec").path("containers").get(0).path("args")
                .forEach(a -> args.add(a.asText().replace("/token/token", token.toString())
                        .replace("/var/lib/flotilla-agent", dir.resolve("scratch").toString())));
        args.add("--kubeconfig");
        args.add(ChartInstall.kubeconfigOf(cluster.server(), NS, "edge-flotilla-agent", dir).toString());
        agent = ChildJvm.start("agent-edge", dir, args.toArray(String[]::new));

        await("deployed into an allowed namespace").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(admin.configMaps().inNamespace("apps").withName("app").get()).as(agent.output()).isNotNull();
            JsonNode bd = fleet.bd("apps-app", "edge-2");
            assertThat(bd.path("status").path("ready").asBoolean()).as(agent.output()).isTrue();
        });
        await("refused outside rbac.restricted.namespaces").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = fleet.bd("apps-outside", "edge-2").path("status");
            assertThat(status.path("appliedDeploymentID").asText()).as(status.toString()).isEmpty();
            JsonNode deployed = null;
            for (JsonNode c : status.path("conditions")) {
                if (c.path("type").asText().equals("Deployed")) {
                    deployed = c;
                }
            }
            assertThat(deployed).as(status.toString()).isNotNull();
            assertThat(deployed.path("status").asText()).isEqualTo("False");
            assertThat(deployed.path("message").asText()).contains("forbidden")
                    .contains("system:serviceaccount:" + NS + ":edge-flotilla-agent").contains("kube-public");
        });
        assertThat(admin.configMaps().inNamespace("kube-public").withName("outside").get()).isNull();
        var state = admin.secrets().inNamespace(NS).withName("edge-flotilla-agent-state").get();
        assertThat(state.getData()).containsKey("credential");
        assertThat(fleet.object(io.flotilla.manager.api.Kind.CLUSTER, "edge-2").path("metadata").path("labels"))
                .isEqualTo(io.flotilla.manager.api.Json.MAPPER.valueToTree(Map.of("env", "prod", "region", "eu-west")));
    }
}

package io.flotilla.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.flotilla.agent.Agent;
import io.flotilla.agent.AgentConfig;
import io.flotilla.e2e.support.ChildJvm;
import io.flotilla.e2e.support.GitDaemonServer;
import io.flotilla.e2e.support.RestClient;
import io.flotilla.manager.api.Json;
import io.flotilla.testkit.KubeApiServer;
import io.flotilla.testkit.KubeApiServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.flotilla.e2e.charts.ChartValues.MANAGER_NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The manager as the flotilla chart runs it, with the chart's own identity: the flotilla-crds and flotilla charts
 * installed for real on an upstream kube-apiserver, the manager started with exactly the arguments of the rendered
 * Deployment (leader election, Kubernetes store, CRDs left to the chart), acting as the chart's ServiceAccount (a
 * TokenRequest token; the only difference from a pod is that the token comes in a kubeconfig rather than the
 * service-account mount). A ClusterRegistrationToken applied to the upstream API gets its value in a Secret, which
 * registers a real agent. A GitRepo created in the upstream API is fetched, turned into a Bundle and a BD, deployed
 * by a real agent into a downstream kube-apiserver, and shows Ready in the upstream API. Every API call the manager
 * makes in that cycle is made as the ServiceAccount, so a missing RBAC rule in the chart fails this test.
 */
class ManagerChartIdentityKubeIT {
    private static final String NS = "fleet-default";
    private static final ResourceDefinitionContext TOKENS = new ResourceDefinitionContext.Builder().withGroup("flotilla.io")
            .withVersion("v1alpha1").withKind("ClusterRegistrationToken").withPlural("clusterregistrationtokens")
            .withNamespaced(true).build();
    private static final ResourceDefinitionContext GITREPOS = new ResourceDefinitionContext.Builder().withGroup("flotilla.io")
            .withVersion("v1alpha1").withKind("GitRepo").withPlural("gitrepos").withNamespaced(true).build();

    /** 0: upstream (the manager's cluster); 1: downstream (the agent's). */
    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.count(2);

    @TempDir
    Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void theChartsServiceAccountRunsAFullGitRepoToReadyCycle() throws Exception {
        KubernetesClient admin = KUBE.get(0).client();
        GitDaemonServer git = new GitDaemonServer(dir.resolve("origin"));
        closeables.add(git);
        git.write("app/fleet.yaml", "defaultNamespace: app\n");
        git.write("app/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  k: v\n");

        ChartInstall.apply(admin, Charts.render("flotilla-crds", "flotilla-crds", MANAGER_NS, null, dir));
        Charts.Rendered manager = Charts.render("flotilla", "flotilla", MANAGER_NS, null, dir);
        ChartInstall.apply(admin, manager);
        ChartInstall.ensureNamespace(admin, NS);

        int port = freePort();
        Path dataDir = dir.resolve("manager-data");
        List<String> args = new ArrayList<>();
        JsonNode container = manager.one("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        container.path("args").forEach(a -> args.add(a.asText()
                .replace("$(POD_NAME)", "flotilla-0")
                .replaceAll("^0\\.0\\.0\\.0:\\d+$", "127.0.0.1:" + port)
                .replace("/var/lib/flotilla", dataDir.toString())));
        assertThat(args).as("the chart runs the Kubernetes store with leader election and leaves CRDs to the chart")
                .contains("--store", "kubernetes", "--install-crds=false", "--identity", "flotilla-0");
        args.add("--kubeconfig");
        args.add(ChartInstall.kubeconfigOf(KUBE.get(0), MANAGER_NS, "flotilla", dir).toString());
        args.add("--allow-loopback-repos"); // the test's git daemon is on 127.0.0.1
        ChildJvm jvm = ChildJvm.start("manager-chart-identity", dir, args.toArray(String[]::new));
        closeables.add(jvm);

        RestClient rest = RestClient.forDataDir(dataDir);
        await("manager serving as the chart's ServiceAccount").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(rest.status("/readyz")).as(jvm.output()).isEqualTo(200));
        // Fleet's registration flow, as the chart's NOTES tell it: kubectl apply a ClusterRegistrationToken, read the
        // token from the Secret of its name (under the upstream cluster's RBAC), give it to the agent
        admin.genericKubernetesResources(TOKENS).inNamespace(NS).resource(admin.getKubernetesSerialization().unmarshal(
                "apiVersion: flotilla.io/v1alpha1\nkind: ClusterRegistrationToken\nmetadata: {name: downstream, namespace: "
                        + NS + "}\nspec: {ttl: 1h}\n", GenericKubernetesResource.class)).create();
        String[] value = new String[1];
        await("token issued into Secret " + NS + "/downstream").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var secret = admin.secrets().inNamespace(NS).withName("downstream").get();
            assertThat(secret).as(jvm.output()).isNotNull();
            value[0] = new String(java.util.Base64.getDecoder().decode(secret.getData().get("value")));
        });
        String token = value[0];
        assertThat(token).startsWith("flt1." + NS + ".downstream.");
        Agent agent = Agent.start(new AgentConfig(URI.create(rest.config().server()), token, "downstream",
                Map.of("env", "dev"), KUBE.get(1).kubeconfig(), dir.resolve("agent"), Duration.ofSeconds(2)))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        closeables.add(() -> agent.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));

        // as a user does with kubectl apply: the GitRepo is created in the upstream API, not through the manager
        GenericKubernetesResource gitRepo = admin.getKubernetesSerialization().unmarshal("""
                apiVersion: flotilla.io/v1alpha1
                kind: GitRepo
                metadata: {name: apps, namespace: %s}
                spec:
                  repo: %s
                  branch: main
                  pollingInterval: 1s
                  targets: [{clusterSelector: {matchLabels: {env: dev}}}]
                """.formatted(NS, git.url()), GenericKubernetesResource.class);
        admin.genericKubernetesResources(GITREPOS).inNamespace(NS).resource(gitRepo).create();

        await("deployed downstream and Ready in the upstream API").atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(KUBE.get(1).client().configMaps().inNamespace("app").withName("app").get()).as(jvm.output()).isNotNull();
            JsonNode status = Json.MAPPER.valueToTree(admin.genericKubernetesResources(GITREPOS).inNamespace(NS)
                    .withName("apps").get().getAdditionalProperties().get("status"));
            assertThat(status.path("display").path("readyBundleDeployments").asText()).as(status + "\n" + jvm.output())
                    .isEqualTo("1/1");
            assertThat(status.path("commit").asText()).isNotEmpty();
        });
        // every object of the cycle was written by the ServiceAccount, and nothing was refused along the way
        assertThat(KUBE.get(0).requests(e -> e.path("user").path("username").asText()
                .equals("system:serviceaccount:" + MANAGER_NS + ":flotilla")
                && e.path("responseStatus").path("code").asInt() == 403))
                .as("requests the chart's RBAC refused").isEmpty();
        assertThat(jvm.output()).doesNotContainIgnoringCase("forbidden");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

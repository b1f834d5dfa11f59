package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.flotilla.agent.Agent;
import io.flotilla.agent.AgentConfig;
import io.flotilla.e2e.support.ChildJvm;
import io.flotilla.e2e.support.GitDaemonServer;
import io.flotilla.e2e.support.ReadyServiceProxy;
import io.flotilla.e2e.support.RestClient;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.security.ClientConfig;
import io.flotilla.testkit.KubeApiServer;
import io.flotilla.testkit.KubeApiServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kubernetes mode end to end, and failover: two manager processes in Kubernetes mode on one upstream kube-apiserver,
 * electing a leader through a Lease; three real agents on kube-apiservers of their own reach "the Service" (a proxy
 * to whichever replica is ready). A GitRepo applied with kubectl deploys everywhere and {@code kubectl get gitrepos}
 * shows it Ready; then the leader is killed with SIGKILL and the standby must take over within the lease duration,
 * with every BD kept as it was (same objects, nothing re-delivered) and the GitRepo's status complete within 10 s;
 * then SIGTERM of the new leader hands the lease to a third replica at once.
 */
class ManagerFailoverKubeIT {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerFailoverKubeIT.class);
    private static final String NS = "fleet-default";
    private static final ResourceDefinitionContext BDS = new ResourceDefinitionContext.Builder().withGroup("flotilla.io")
            .withVersion("v1alpha1").withKind("BundleDeployment").withPlural("bundledeployments").withNamespaced(true).build();
    private static final ResourceDefinitionContext GITREPOS = new ResourceDefinitionContext.Builder().withGroup("flotilla.io")
            .withVersion("v1alpha1").withKind("GitRepo").withPlural("gitrepos").withNamespaced(true).build();
    private static final ResourceDefinitionContext CLUSTERS = new ResourceDefinitionContext.Builder().withGroup("flotilla.io")
            .withVersion("v1alpha1").withKind("Cluster").withPlural("clusters").withNamespaced(true).build();
    private static final Duration LEASE = Duration.ofSeconds(3);

    /** 0: upstream; 1-3: the downstream clusters. */
    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.count(4);

    @TempDir
    Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, ChildJvm> managers = new TreeMap<>();
    private final Map<String, Integer> ports = new TreeMap<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private KubernetesClient upstream() {
        return KUBE.get(0).client();
    }

    private ChildJvm startManager(String name) throws Exception {
        int port = freePortPlaceholder(name);
        ChildJvm jvm = ChildJvm.start(name, dir, "manager", "--store", "kubernetes",
                "--kubeconfig", KUBE.get(0).kubeconfig(KubeApiServer.User.ADMIN).toString(),
                "--namespace", "flotilla-system", "--identity", name,
                "--lease-duration", LEASE.toSeconds() + "s", "--renew-deadline", "2s", "--retry-period", "500ms",
                "--listen", "127.0.0.1:" + port, "--data-dir", dir.resolve(name).toString(),
                "--offline-timeout", "15s", "--heartbeat-interval", "1s",
                // TLS as installed by default: every replica serves under the one generated CA kept upstream
                "--client-config", dir.resolve(name + "-client.conf").toString(),
                "--allow-loopback-repos"); // the test's git daemon is on 127.0.0.1
        managers.put(name, jvm);
        closeables.add(jvm);
        return jvm;
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledIf(value = "kubectlOnPath", disabledReason = "kubectl is not on the PATH")
    void kubectlAppliedGitRepoDeploysAndTheStandbyTakesOverFromAKilledLeader() throws Exception {
        GitDaemonServer git = new GitDaemonServer(dir.resolve("origin"));
        closeables.add(git);
        for (String app : List.of("app1", "app2")) {
            git.write(app + "/fleet.yaml", "defaultNamespace: " + app + "\n");
            git.write(app + "/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + app + "\ndata:\n  k: v\n");
        }
        for (String ns : List.of("flotilla-system", NS)) {
            upstream().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .serverSideApply();
        }

        ChildJvm a = startManager("manager-a");
        ReadyServiceProxy service = new ReadyServiceProxy(List.of(freePortPlaceholder("manager-a"),
                freePortPlaceholder("manager-b"), freePortPlaceholder("manager-c")), true);
        closeables.add(service);
        await("manager-a leads").atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(service.readyBackend()).as(a.output()).isEqualTo(ports.get("manager-a")));
        ChildJvm b = startManager("manager-b");
        await("manager-b stands by").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(b.output()).contains("is held by manager-a"));
        RestClient standby = RestClient.of(proxyConfig(ports.get("manager-b"), "manager-a"));
        assertThat(ClientConfig.load(dir.resolve("manager-b").resolve(ClientConfig.ADMIN_FILE)).caPem())
                .as("both replicas serve under the one CA kept upstream")
                .isEqualTo(ClientConfig.load(dir.resolve("manager-a").resolve(ClientConfig.ADMIN_FILE)).caPem());
        assertThat(standby.status("/readyz")).isEqualTo(503);

        // The admin credential manager-a bootstrapped is stored upstream (a Secret): valid whoever leads.
        RestClient rest = RestClient.of(proxyConfig(service.port(), "manager-a"));
        RestClient.Reply created = rest.call("POST", "/apis/flotilla.io/v1alpha1/namespaces/" + NS
                + "/clusterregistrationtokens", "{\"metadata\":{\"name\":\"e2e\"}}");
        String token = created.body().path("status").path("token").asText();
        assertThat(token).as(created + "\n" + a.output()).isNotEmpty();
        for (int i = 1; i <= 3; i++) {
            String cluster = "c" + i;
            Agent agent = Agent.start(new AgentConfig(URI.create("https://127.0.0.1:" + service.port()), token, cluster,
                    Map.of("env", "dev"), KUBE.get(i).kubeconfig(), dir.resolve("agent-" + cluster),
                    Duration.ofSeconds(2))).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            closeables.add(() -> agent.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        }

        Path gitRepoYaml = dir.resolve("gitrepo.yaml");
        Files.writeString(gitRepoYaml, """
                apiVersion: flotilla.io/v1alpha1
                kind: GitRepo
                metadata:
                  name: apps
                  namespace: fleet-default
                spec:
                  repo: %s
                  branch: main
                  pollingInterval: 1s
                  targets:
                  - clusterSelector:
                      matchLabels: {env: dev}
                """.formatted(git.url()));
        assertThat(kubectl("apply", "-f", gitRepoYaml.toString())).contains("gitrepo.flotilla.io/apps created");
        await("GitRepo Ready through kubectl").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            String table = kubectl("get", "gitrepos", "-A");
            assertThat(table).as(a.output()).containsPattern("apps\\s+\\S+\\s+\\S+\\s+6/6\\s+True");
        });
        LOG.info("kubectl get gitrepos -A:\n{}", kubectl("get", "gitrepos", "-A"));
        // what happened is in native Events, which kubectl finds (describe matches them by the GitRepo's uid)
        await("events through kubectl").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(kubectl("get", "events", "-n", NS, "--field-selector", "involvedObject.kind=GitRepo,involvedObject.name=apps"))
                    .contains("CommitFetched").contains("BundlesBuilt");
            assertThat(kubectl("describe", "gitrepo", "apps", "-n", NS)).contains("CommitFetched")
                    .contains("2 bundles built from commit");
        });
        for (int i = 1; i <= 3; i++) {
            for (String app : List.of("app1", "app2")) {
                assertThat(KUBE.get(i).client().configMaps().inNamespace(app).withName(app).get()).isNotNull();
            }
        }
        Map<String, String> bdsBefore = bdIdentities();
        Map<String, String> configMapsBefore = downstreamVersions();
        assertThat(bdsBefore).hasSize(6);

        Instant kill = Instant.now();
        a.kill();
        await("manager-b leads").atMost(LEASE.plus(Duration.ofSeconds(6))).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(service.readyBackend()).as(b.output()).isEqualTo(ports.get("manager-b")));
        Duration takeover = Duration.between(kill, Instant.now());
        await("agents reconnected and status complete").atMost(Duration.ofSeconds(10).minus(takeover))
                .pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    assertThat(agentsConnectedSince(kill)).as(b.output()).isEqualTo(3);
                    JsonNode status = rest.get("/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/gitrepos/apps").path("status");
                    assertThat(status.path("display").path("readyBundleDeployments").asText()).isEqualTo("6/6");
                    assertThat(status.path("readyClusters").asInt()).isEqualTo(3);
                });
        Duration complete = Duration.between(kill, Instant.now());
        LOG.info("Failover: manager-b ready {} ms after kill -9 of the leader; 3 agents reconnected and GitRepo 6/6 after {} ms"
                + " (lease duration {} s)", takeover.toMillis(), complete.toMillis(), LEASE.toSeconds());

        assertThat(bdIdentities()).as("no BD lost, duplicated or re-created").isEqualTo(bdsBefore);
        Matcher catchUp = Pattern.compile("agent holds (\\d+) BDs; sent (\\d+) upserts and (\\d+) deletes").matcher(b.output());
        int hellos = 0;
        while (catchUp.find()) {
            hellos++;
            assertThat(catchUp.group(1)).isEqualTo("2");
            assertThat(catchUp.group(2) + "/" + catchUp.group(3)).as("nothing re-delivered").isEqualTo("0/0");
        }
        assertThat(hellos).isEqualTo(3);
        assertThat(downstreamVersions()).as("nothing re-applied downstream").isEqualTo(configMapsBefore);

        // SIGTERM hands the lease over at once: a new standby leads within about one retry period, not a lease duration.
        ChildJvm c = startManager("manager-c");
        await("manager-c stands by").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(c.output()).contains("is held by manager-b"));
        Instant term = Instant.now();
        b.signal("TERM");
        await("manager-c leads after SIGTERM of manager-b").atMost(LEASE).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(service.readyBackend()).as(c.output()).isEqualTo(ports.get("manager-c")));
        Duration handover = Duration.between(term, Instant.now());
        await("manager-b exits").atMost(Duration.ofSeconds(20)).until(() -> !b.isAlive());
        LOG.info("Handover: manager-c ready {} ms after SIGTERM of the leader (lease duration {} s)", handover.toMillis(),
                LEASE.toSeconds());

        // The new leader serves changes: a new commit reaches every cluster.
        git.write("app1/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app1\ndata:\n  k: v2\n");
        await("new commit deployed by the new leader").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int i = 1; i <= 3; i++) {
                assertThat(KUBE.get(i).client().configMaps().inNamespace("app1").withName("app1").get().getData())
                        .containsEntry("k", "v2");
            }
        });
    }

    /** A client config for {@code port} with the admin token {@code manager} wrote into its data dir. */
    private Path proxyConfig(int port, String manager) throws Exception {
        await("admin config of " + manager).atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(dir.resolve(manager).resolve(ClientConfig.ADMIN_FILE)));
        Path file = dir.resolve("client-" + port + ".conf");
        ClientConfig admin = ClientConfig.load(dir.resolve(manager).resolve(ClientConfig.ADMIN_FILE));
        ClientConfig.of("https://127.0.0.1:" + port, admin.token(), admin.caPem()).save(file);
        return file;
    }

    /** BD name → uid and deploymentID, read from the upstream API. */
    private Map<String, String> bdIdentities() {
        Map<String, String> ids = new TreeMap<>();
        for (GenericKubernetesResource bd : upstream().genericKubernetesResources(BDS).inAnyNamespace().list().getItems()) {
            Map<?, ?> spec = (Map<?, ?>) bd.getAdditionalProperties().get("spec");
            ids.put(bd.getMetadata().getNamespace() + "/" + bd.getMetadata().getName(),
                    bd.getMetadata().getUid() + " " + spec.get("deploymentID"));
        }
        return ids;
    }

    private Map<String, String> downstreamVersions() {
        Map<String, String> versions = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            for (String app : List.of("app1", "app2")) {
                var cm = KUBE.get(i).client().configMaps().inNamespace(app).withName(app).get();
                versions.put("c" + i + "/" + app, cm.getMetadata().getUid() + "@" + cm.getMetadata().getResourceVersion());
            }
        }
        return versions;
    }

    private long agentsConnectedSince(Instant since) {
        return upstream().genericKubernetesResources(CLUSTERS).inNamespace(NS).list().getItems().stream()
                .map(c -> Json.MAPPER.convertValue(c.getAdditionalProperties().get("status"), JsonNode.class))
                .filter(s -> s != null && s.path("agent").path("connected").asBoolean()
                        && Instant.parse(s.path("agent").path("lastSeen").asText(Instant.EPOCH.toString())).isAfter(since))
                .count();
    }

    private String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig",
                KUBE.get(0).kubeconfig(KubeApiServer.User.ADMIN).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    static boolean kubectlOnPath() {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl")));
    }

    private int freePortPlaceholder(String manager) throws IOException {
        return ports.computeIfAbsent(manager, m -> {
            try {
                return freePort();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

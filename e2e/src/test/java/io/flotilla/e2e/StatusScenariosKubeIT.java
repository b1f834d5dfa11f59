package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.e2e.support.StatusWatcher;
import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Kind;
import io.flotilla.proto.v1.StatusFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two QA scenarios Flotilla exists for, end to end: a git daemon, a manager, agents c1..c3 labelled
 * env=dev against real kube-apiservers, and a tooling client on {@code StatusService.Watch}.
 */
@ExtendWith(RequiresKubeApiServer.class)
class StatusScenariosKubeIT {
    private static final String CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  k: v\n";
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
                  containers: [{name: web, image: nginx:1.27}]
            """;

    @TempDir
    Path dir;
    Fleet fleet;
    StatusWatcher watcher;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("a/configmap.yaml", CONFIG_MAP.formatted("a"));
        fleet.git.write("a/fleet.yaml", "defaultNamespace: apps\n");
        fleet.git.write("b/deployment.yaml", DEPLOYMENT);
        fleet.git.write("b/fleet.yaml", "defaultNamespace: apps\noverrideTargets:\n- clusterName: c1\n");
        for (String c : List.of("c1", "c2", "c3")) {
            fleet.addCluster(c, Map.of("env", "dev"));
        }
        watcher = new StatusWatcher(fleet.rest, StatusFilter.newBuilder().addKinds("GitRepo")
                .setNamespace(Fleet.NS).build());
        fleet.createGitRepo("qa", "[{\"name\":\"dev\",\"clusterSelector\":{\"matchLabels\":{\"env\":\"dev\"}}}]");
    }

    @AfterEach
    void stop() throws Exception {
        watcher.close();
        fleet.close();
    }

    private JsonNode gitRepoStatus() {
        return fleet.object(Kind.GIT_REPO, "qa").path("status");
    }

    private void setDeploymentReady(boolean ready) {
        KubernetesClient kube = fleet.clusters.get("c1").client();
        Deployment d = kube.apps().deployments().inNamespace("apps").withName("web").get();
        int n = ready ? 1 : 0;
        d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(n).withAvailableReplicas(n)
                .withUpdatedReplicas(1).withUnavailableReplicas(1 - n).withObservedGeneration(d.getMetadata().getGeneration())
                .build());
        kube.apps().deployments().inNamespace("apps").resource(d).updateStatus();
    }

    @Test
    void overrideTargetsCountsOnlyClustersThatHoldBdsAndDoNotDeployDropsTheBd() throws Exception {
        // overrideTargets: bundle b exists only on c1.
        await("b applied on c1").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(fleet.clusters.get("c1").client().apps().deployments().inNamespace("apps").withName("web").get())
                    .isNotNull();
            JsonNode bd = fleet.bd("qa-b", "c1");
            assertThat(bd.path("status").path("appliedDeploymentID").asText())
                    .isEqualTo(bd.path("spec").path("deploymentID").asText());
            assertThat(gitRepoStatus().path("display").path("readyBundleDeployments").asText()).isEqualTo("3/4");
        });
        assertThat(fleet.bd("qa-b", "c2")).isNull();
        setDeploymentReady(true);
        await("4/4").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode s = gitRepoStatus();
            assertThat(fleet.bd("qa-b", "c1").path("status").path("ready").asBoolean())
                    .as(fleet.bd("qa-b", "c1").path("status").toString()).isTrue();
            assertThat(s.path("display").path("readyBundleDeployments").asText()).isEqualTo("4/4");
            assertThat(s.path("summary").path("ready").asInt()).isEqualTo(4);
            assertThat(s.path("summary").path("desiredReady").asInt()).isEqualTo(4);
            assertThat(s.path("desiredReadyClusters").asInt()).isEqualTo(3);
            assertThat(s.path("readyClusters").asInt()).isEqualTo(3);
        });

        // b's BD on c1 not ready: 3/4, two ready clusters, NotReady naming the bundle.
        setDeploymentReady(false);
        await("3/4").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode s = gitRepoStatus();
            assertThat(s.path("display").path("readyBundleDeployments").asText()).isEqualTo("3/4");
            assertThat(s.path("readyClusters").asInt()).isEqualTo(2);
            assertThat(s.path("desiredReadyClusters").asInt()).isEqualTo(3);
            assertThat(s.path("display").path("state").asText()).isEqualTo("NotReady");
            assertThat(Conditions.get(s, "Ready")).isEqualTo("False");
            assertThat(s.path("conditions").toString()).contains("qa-b");
        });
        setDeploymentReady(true);
        await("4/4 again").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(gitRepoStatus().path("display").path("readyBundleDeployments").asText()).isEqualTo("4/4"));

        // doNotDeploy: false changes nothing; doNotDeploy: true for c2 deletes the BD and its objects there.
        fleet.git.write("a/fleet.yaml", "defaultNamespace: apps\ntargetCustomizations:\n- name: c2\n  clusterName: c2\n  doNotDeploy: false\n");
        await("customization applied").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(fleet.clusters.get("c2").client().configMaps().inNamespace("apps").withName("a").get()).isNotNull();
            assertThat(gitRepoStatus().path("display").path("readyBundleDeployments").asText()).isEqualTo("4/4");
        });
        Instant beforeCommit = Instant.now();
        fleet.git.write("a/fleet.yaml", "defaultNamespace: apps\ntargetCustomizations:\n- name: c2\n  clusterName: c2\n  doNotDeploy: true\n");
        AtomicReference<Instant> goneFromC2 = new AtomicReference<>();
        await("objects removed from c2").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(fleet.clusters.get("c2").client().configMaps().inNamespace("apps").withName("a").get()).isNull();
            goneFromC2.set(Instant.now());
        });
        await("3/3 and two clusters").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode s = gitRepoStatus();
            assertThat(fleet.bd("qa-a", "c2")).isNull();
            assertThat(s.path("display").path("readyBundleDeployments").asText()).isEqualTo("3/3");
            assertThat(s.path("desiredReadyClusters").asInt()).isEqualTo(2);
            assertThat(s.path("readyClusters").asInt()).isEqualTo(2);
        });
        StatusWatcher.Received seen = watcher.first("qa", beforeCommit, st ->
                st.path("display").path("readyBundleDeployments").asText().equals("3/3") && st.path("desiredReadyClusters").asInt() == 2);
        assertThat(seen).as("a Status.Watch event with the new counts").isNotNull();
        assertThat(seen.at()).isBefore(goneFromC2.get().plusSeconds(1));
        assertThat(fleet.clusters.get("c1").client().configMaps().inNamespace("apps").withName("a").get()).isNotNull();

        // Relabelling a cluster out of the targets and back moves the counts down and up.
        fleet.relabel("c3", Map.of("env", "prod"));
        await("c3 out").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode s = gitRepoStatus();
            assertThat(s.path("display").path("readyBundleDeployments").asText()).isEqualTo("2/2");
            assertThat(s.path("desiredReadyClusters").asInt()).isEqualTo(1);
        });
        fleet.relabel("c3", Map.of("env", "dev"));
        await("c3 back").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode s = gitRepoStatus();
            assertThat(s.path("display").path("readyBundleDeployments").asText()).isEqualTo("3/3");
            assertThat(s.path("desiredReadyClusters").asInt()).isEqualTo(2);
        });

        // The same watch as Server-Sent Events: the snapshot carries the GitRepo's current counts.
        java.net.http.HttpResponse<java.util.stream.Stream<String>> sse = fleet.rest.lines(
                "/status/watch?kind=GitRepo&namespace=" + Fleet.NS);
        assertThat(sse.statusCode()).isEqualTo(200);
        assertThat(sse.headers().firstValue("content-type")).hasValue("text/event-stream");
        List<String> lines = new java.util.ArrayList<>();
        try (var stream = sse.body()) {
            var it = stream.iterator();
            while (it.hasNext()) {
                String line = it.next();
                lines.add(line);
                if (line.equals("event: snapshot-end")) {
                    break;
                }
            }
        }
        assertThat(lines).contains("event: status");
        assertThat(lines).anyMatch(l -> l.startsWith("data: ") && l.contains("\"name\":\"qa\"")
                && l.contains("\"readyBundleDeployments\":\"3/3\""));

        // bin/flotilla status shows the same live figures.
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            code = io.flotilla.cli.FlotillaCli.commandLine().execute("status", "--config",
                    fleet.manager.adminConfigFile().toString());
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).isZero();
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("GITREPO", "BUNDLEDEPLOYMENTS-READY")
                .containsPattern("fleet-default/qa\\s+3/3\\s+2/2\\s+Ready");

        // ... and bin/flotilla get shows each BD's state.
        out.reset();
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            code = io.flotilla.cli.FlotillaCli.commandLine().execute("get", "bundledeployments", "-A", "--config",
                    fleet.manager.adminConfigFile().toString());
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).isZero();
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .containsPattern("qa-b\\s+True\\s+True\\s+Ready")
                .doesNotContain("qa-a   True   True   WaitApplied");
    }
}

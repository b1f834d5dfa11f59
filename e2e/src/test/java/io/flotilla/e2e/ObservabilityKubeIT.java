package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.flotilla.cli.FlotillaCli;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.e2e.support.RestClient;
import io.flotilla.manager.api.Json;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metrics, events and {@code describe} end to end: a git daemon, a manager, one agent (with its metrics listener) on a
 * real kube-apiserver. After a GitRepo deploys, the manager's and the agent's {@code /metrics} show the counters moved by
 * exactly what happened; {@code describe gitrepo} shows the tree and the events; a drift correction, a fetch failure and
 * a cluster going offline and back show up as events.
 */
@ExtendWith(RequiresKubeApiServer.class)
class ObservabilityKubeIT {
    private static final String NS = Fleet.NS;

    @TempDir
    Path dir;
    Fleet fleet;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("app/fleet.yaml", "defaultNamespace: web\ncorrectDrift:\n  enabled: true\n");
        fleet.git.write("app/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n");
        fleet.git.write("other/fleet.yaml", "defaultNamespace: other\n");
        fleet.git.write("other/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n");
        fleet.agentMetricsListen = "127.0.0.1:0";
        fleet.addCluster("c1", Map.of("env", "dev"));
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    @Test
    void metricsEventsAndDescribeTellWhatHappened() throws Exception {
        RestClient viewer = fleet.rest.withToken(fleet.rest.call("POST", "/auth/v1/usertokens",
                "{\"name\":\"prometheus\",\"role\":\"viewer\"}").body().path("token").asText());
        fleet.createGitRepo("apps", "[{\"name\":\"dev\",\"clusterSelector\":{\"matchLabels\":{\"env\":\"dev\"}}}]");
        await("both bundles Ready on c1").atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (String bundle : List.of("apps-app", "apps-other")) {
                JsonNode bd = fleet.bd(bundle, "c1");
                assertThat(bd).as(bundle).isNotNull();
                assertThat(bd.path("status").path("display").path("state").asText()).as(bundle).isEqualTo("Ready");
            }
        });

        // /metrics authenticates like the API: no token → 401, a viewer's token is enough
        assertThat(fleet.rest.withToken("").call("GET", "/metrics", null).code()).isEqualTo(401);
        await("manager metrics after the deploy").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String m = scrape(viewer);
            assertThat(value(m, "flotilla_agents_connected")).isEqualTo(1);
            assertThat(value(m, "flotilla_clusters{state=\"online\"}")).isEqualTo(1);
            assertThat(value(m, "flotilla_clusters{state=\"offline\"}")).isEqualTo(0);
            assertThat(value(m, "flotilla_agent_streams_opened_total")).isEqualTo(1);
            assertThat(value(m, "flotilla_agent_streams_refused_total{reason=\"unauthenticated\"}")).isEqualTo(0);
            assertThat(value(m, "flotilla_gitrepo_fetches_total{result=\"success\"}")).isEqualTo(1);
            assertThat(value(m, "flotilla_gitrepo_fetches_total{result=\"failure\"}")).isEqualTo(0);
            assertThat(value(m, "flotilla_gitrepo_fetch_duration_seconds_count")).isEqualTo(1);
            assertThat(value(m, "flotilla_bundles_built_total")).isEqualTo(2);
            assertThat(value(m, "flotilla_bundles_refused_total")).isEqualTo(0);
            assertThat(value(m, "flotilla_targeting_bundledeployment_changes_total{change=\"created\"}")).isEqualTo(2);
            assertThat(value(m, "flotilla_targeting_bundledeployment_changes_total{change=\"deleted\"}")).isEqualTo(0);
            assertThat(value(m, "flotilla_targeting_duration_seconds_count")).isGreaterThanOrEqualTo(2);
            assertThat(value(m, "flotilla_bundledeployments{state=\"Ready\"}")).isEqualTo(2);
            assertThat(value(m, "flotilla_bundledeployments{state=\"NotReady\"}")).isEqualTo(0);
            assertThat(value(m, "flotilla_status_report_to_published_duration_seconds_count")).isGreaterThanOrEqualTo(2);
            assertThat(m).contains("flotilla_status_report_to_published_duration_seconds_bucket{le=\"0.001\"}");
            assertThat(value(m, "flotilla_store_write_duration_seconds_count{operation=\"apply\"}")).isGreaterThan(0);
            assertThat(value(m, "flotilla_status_stream_subscribers")).isEqualTo(0);
            assertThat(value(m, "flotilla_http_requests_total{code=\"401\"}")).isEqualTo(1);
            // Vert.x' own metrics (vertx-micrometer-metrics) in the same registry, and the JVM's
            assertThat(m).containsPattern("(?m)^vertx_http_server_requests_total\\{code=\"401\",local=\"[^\"]+\",method=\"GET\"\\} 1\\.0$");
            assertThat(m).contains("vertx_pool_queue_pending{pool_name=\"vert.x-worker-thread\",pool_type=\"worker\"}")
                    .contains("jvm_memory_used_bytes");
            assertThat(value(m, "flotilla_http_requests_total{code=\"201\"}")).isGreaterThanOrEqualTo(3);
        });

        // the agent's own listener: two applies that succeeded, two BDs Ready, no API errors
        int agentPort = fleet.agents.get("c1").metricsPort();
        assertThat(agentPort).isPositive();
        String a = agentScrape(agentPort);
        assertThat(value(a, "flotilla_agent_applies_total{result=\"success\"}")).isEqualTo(2);
        assertThat(value(a, "flotilla_agent_applies_total{result=\"failure\"}")).isEqualTo(0);
        assertThat(value(a, "flotilla_agent_apply_duration_seconds_count")).isEqualTo(2);
        assertThat(value(a, "flotilla_agent_bundledeployments{state=\"Ready\"}")).isEqualTo(2);
        assertThat(value(a, "flotilla_agent_drift_corrections_total")).isEqualTo(0);
        assertThat(value(a, "flotilla_agent_stream_reconnects_total")).isEqualTo(0);
        assertThat(a).doesNotContain("flotilla_agent_api_errors_total");

        // events of the deploy
        await("deploy events").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode events = viewer.get("/api/v1/namespaces/" + NS + "/events?fieldSelector=involvedObject.kind%3DGitRepo,involvedObject.name%3Dapps");
            assertThat(reasons(events)).containsExactly("CommitFetched", "BundlesBuilt");
            assertThat(events.path("items").get(1).path("message").asText()).isEqualTo("2 bundles built from commit "
                    + fleet.git.head() + ": apps-app, apps-other");
            JsonNode cluster = viewer.get("/api/v1/namespaces/" + NS + "/events?fieldSelector=involvedObject.kind%3DCluster");
            // targeting handles one bundle at a time: one event per bundle's BDs on the cluster
            List<String> messages = new java.util.ArrayList<>();
            cluster.path("items").forEach(e -> messages.add(e.path("message").asText()));
            assertThat(messages).containsExactlyInAnyOrder("1 BundleDeployment created: apps-app",
                    "1 BundleDeployment created: apps-other");
            assertThat(cluster.path("items").get(0).path("involvedObject").path("uid").asText()).isNotEmpty();
        });
        assertThat(viewer.call("GET", "/api/v1/events?fieldSelector=spec.x%3Dy", null).code()).isEqualTo(400);
        assertThat(viewer.call("POST", "/api/v1/namespaces/" + NS + "/events", "{}").code()).isEqualTo(403);
        assertThat(fleet.rest.call("POST", "/api/v1/namespaces/" + NS + "/events", "{}").code()).isEqualTo(405);

        String described = cli("describe", "gitrepo", "apps");
        assertThat(described).contains("Commit:         " + fleet.git.head())
                .contains("  GitRepo apps\n  ├── Bundle apps-app  (ready clusters 1/1)\n  │   └── c1  Ready\n"
                        + "  └── Bundle apps-other  (ready clusters 1/1)\n      └── c1  Ready\n")
                .containsPattern("Normal +CommitFetched +gitrepo/apps +1 +fetched commit " + fleet.git.head())
                .containsPattern("Normal +BundlesBuilt +gitrepo/apps +1 +2 bundles built");

        assertThat(cli("describe", "cluster", "c1")).contains("Agent:          connected")
                .contains("  Cluster c1\n  ├── apps-app    Ready\n  └── apps-other  Ready\n")
                .containsPattern("Normal +BundleDeploymentsCreated +cluster/c1 +1 +1 BundleDeployment created: apps-app");
        assertThat(cli("describe", "bundle", "apps-app")).contains("  Bundle apps-app\n  └── c1  Ready\n");

        // drift on c1 is corrected: the agent counts it, the Bundle gets an event
        ConfigMap settings = fleet.clusters.get("c1").client().configMaps().inNamespace("web").withName("settings").get();
        settings.getData().put("color", "red");
        fleet.clusters.get("c1").client().configMaps().inNamespace("web").resource(settings).update();
        await("drift corrected").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(fleet.clusters.get("c1").client().configMaps().inNamespace("web").withName("settings").get()
                    .getData()).containsEntry("color", "blue");
            assertThat(value(agentScrape(agentPort), "flotilla_agent_drift_corrections_total")).isEqualTo(1);
            JsonNode events = viewer.get("/api/v1/namespaces/" + NS + "/events?fieldSelector=involvedObject.kind%3DBundle,reason%3DDriftCorrected");
            assertThat(events.path("items")).hasSize(1);
            assertThat(events.path("items").get(0).path("message").asText())
                    .isEqualTo("cluster c1: drifted objects re-applied (correctDrift)");
            assertThat(events.path("items").get(0).path("involvedObject").path("name").asText()).isEqualTo("apps-app");
        });
        assertThat(cli("describe", "gitrepo", "apps")).containsPattern("Normal +DriftCorrected +bundle/apps-app +1 +cluster c1");

        // a commit with an object the API server refuses: the agent counts the failed apply and the API error, the
        // manager records the failure the agent reports on the Bundle
        Path bad = java.nio.file.Files.createDirectories(dir.resolve("bad-bundle"));
        java.nio.file.Files.writeString(bad.resolve("fleet.yaml"), "defaultNamespace: other\n");
        java.nio.file.Files.writeString(bad.resolve("configmap.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                + "  name: bad\ndata:\n  \"not a valid key!\": x\n");
        fleet.git.copy(bad, "bad"); // one commit
        await("apply failure").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            String agent = agentScrape(agentPort);
            assertThat(value(agent, "flotilla_agent_applies_total{result=\"failure\"}")).isEqualTo(1);
            assertThat(value(agent, "flotilla_agent_api_errors_total{reason=\"Invalid\"}")).isEqualTo(1);
            assertThat(value(agent, "flotilla_agent_bundledeployments{state=\"NotReady\"}")).isEqualTo(1);
            JsonNode failures = viewer.get("/api/v1/namespaces/" + NS + "/events?fieldSelector=reason%3DApplyFailed");
            assertThat(failures.path("items")).singleElement().satisfies(e -> {
                assertThat(e.path("type").asText()).isEqualTo("Warning");
                assertThat(e.path("involvedObject").path("name").asText()).isEqualTo("apps-bad");
                assertThat(e.path("message").asText()).startsWith("cluster c1: ").contains("not a valid key!");
            });
            String m = scrape(viewer);
            assertThat(value(m, "flotilla_gitrepo_fetches_total{result=\"success\"}")).isEqualTo(2);
            assertThat(value(m, "flotilla_bundles_built_total")).isEqualTo(5);
            assertThat(value(m, "flotilla_bundledeployments{state=\"NotReady\"}")).isEqualTo(1);
        });
        assertThat(cli("describe", "gitrepo", "apps")).contains("  ├── Bundle apps-bad  (ready clusters 0/1)\n  │   └── c1  NotReady")
                .containsPattern("Warning +ApplyFailed +bundle/apps-bad +1 +cluster c1: ");

        // a fetch failure: a Warning event counted on every retry, the metric, and describe keeps the previous bundles
        ObjectNode repo = (ObjectNode) fleet.rest.get("/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/gitrepos/apps");
        String missing = "git://127.0.0.1:1/repo.git"; // nothing listens there: Unreachable
        repo.with("spec").put("repo", missing);
        assertThat(fleet.rest.call("PUT", "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/gitrepos/apps",
                repo.toString()).code()).isEqualTo(200);
        await("fetch failure event").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode events = viewer.get("/api/v1/namespaces/" + NS + "/events?fieldSelector=involvedObject.name%3Dapps,type%3DWarning");
            assertThat(reasons(events)).containsExactly("FetchFailed");
            assertThat(events.path("items").get(0).path("count").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(value(scrape(viewer), "flotilla_gitrepo_fetches_total{result=\"failure\"}")).isGreaterThanOrEqualTo(2);
        });
        String failed = cli("describe", "gitrepo", "apps");
        assertThat(failed).containsPattern("Stalled +True")
                .contains("  ├── Bundle apps-app  (ready clusters 1/1)\n  │   └── c1  Ready\n")
                .contains("  ├── Bundle apps-bad  (ready clusters 0/1)\n")
                .containsPattern("Warning +FetchFailed +gitrepo/apps +\\d+ +")
                .contains("127.0.0.1:1/repo.git");
        assertThat(cli("events", "--for", "gitrepo/apps")).containsPattern("Warning +FetchFailed +gitrepo/apps");
        assertThat(value(scrape(viewer), "flotilla_gitrepo_fetches_total{result=\"success\"}")).isEqualTo(2);

        // the cluster goes offline (5 s timeout in the test fleet) and comes back
        fleet.stopAgent("c1");
        await("offline").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String m = scrape(viewer);
            assertThat(value(m, "flotilla_clusters{state=\"offline\"}")).isEqualTo(1);
            assertThat(value(m, "flotilla_clusters{state=\"online\"}")).isEqualTo(0);
            assertThat(reasons(viewer.get("/api/v1/namespaces/" + NS + "/events?fieldSelector=involvedObject.kind%3DCluster")))
                    .containsExactly("BundleDeploymentsCreated", "BundleDeploymentsCreated", "BundleDeploymentsCreated", "ClusterOffline");
        });
        fleet.agentMetricsListen = null;
        fleet.agents.put("c1", fleet.startAgent("c1", Map.of("env", "dev")));
        await("online again").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String m = scrape(viewer);
            assertThat(value(m, "flotilla_clusters{state=\"online\"}")).isEqualTo(1);
            assertThat(value(m, "flotilla_agent_streams_opened_total")).isEqualTo(2);
            assertThat(value(m, "flotilla_agents_connected")).isEqualTo(1);
            // the old stream's end never reached the manager (the agent's process side just went away); replaced, it counts
            assertThat(value(m, "flotilla_agent_streams_closed_total")).isEqualTo(1);
            assertThat(reasons(viewer.get("/api/v1/namespaces/" + NS + "/events?fieldSelector=involvedObject.kind%3DCluster")))
                    .containsExactly("BundleDeploymentsCreated", "BundleDeploymentsCreated", "BundleDeploymentsCreated", "ClusterOffline",
                            "ClusterOnline");
        });
        assertThat(fleet.agents.get("c1").metricsPort()).isEqualTo(-1);
    }

    private static List<String> reasons(JsonNode eventList) {
        List<String> out = new java.util.ArrayList<>();
        eventList.path("items").forEach(e -> out.add(e.path("reason").asText()));
        return out;
    }

    private static String scrape(RestClient client) throws Exception {
        RestClient.Reply r = client.call("GET", "/metrics", null);
        assertThat(r.code()).isEqualTo(200);
        return r.body().asText();
    }

    private static String agentScrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return r.body();
    }

    /** The value of one sample ({@code name} or {@code name{labels}} as Prometheus prints it). */
    static double value(String exposition, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(exposition);
        assertThat(m.find()).as("sample %s in:%n%s", sample, exposition).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Runs {@code bin/flotilla ARGS} in this JVM against the fleet's manager, returning what it printed. */
    private String cli(String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--config", fleet.rest.configFile().toString(), "-n", NS)).toArray(String[]::new);
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        synchronized (System.class) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                code = FlotillaCli.commandLine().execute(all);
            } finally {
                System.setOut(original);
            }
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        return printed;
    }
}

package io.flotilla.manager.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.testing.ManagerClient;
import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Git ingestion in a real manager: a GitRepo pointing at a JGit smart-HTTP server with basic auth on
 * loopback; commits become Bundles by polling or a verified webhook; removed paths and invalid
 * fleet.yaml files behave as users expect.
 */
class GitOpsMockTest {
    private static final String NS = "fleet-default";
    private static final String WEBHOOK_SECRET = "hook-secret-123";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    HttpGitServer git;
    TestRepo repo;
    Manager manager;

    @BeforeEach
    void start() throws Exception {
        repo = TestRepo.create(dir.resolve("origin"), "main");
        repo.commit("a/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  v: \"1\"\n");
        repo.commit("b/fleet.yaml", "defaultNamespace: b\n");
        repo.commit("b/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n");
        git = HttpGitServer.start("fleet", "s3cret", null, null);
        git.serve("apps.git", repo.repository());
        manager = Manager.start(ManagerConfig.defaults(dir.resolve("data"), "127.0.0.1", 0)
                        .withGitAccess(GitAccessPolicy.allowingLoopback())) // the test's git server is on 127.0.0.1
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        post("/api/v1/namespaces/" + NS + "/secrets", "{\"metadata\":{\"name\":\"git-auth\"},\"type\":\"kubernetes.io/basic-auth\","
                + "\"stringData\":{\"username\":\"fleet\",\"password\":\"s3cret\"}}");
        post("/api/v1/namespaces/" + NS + "/secrets", "{\"metadata\":{\"name\":\"hook\"},\"stringData\":{\"token\":\""
                + WEBHOOK_SECRET + "\"}}");
    }

    @AfterEach
    void stop() throws Exception {
        manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        git.close();
        repo.close();
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return ManagerClient.admin(manager).send("POST", path, json);
    }

    private void createGitRepo(String pollingInterval, boolean disablePolling, String secret) throws Exception {
        String spec = "{\"repo\":\"" + git.url("apps.git") + "\",\"branch\":\"main\",\"paths\":[\"a\",\"b\"],"
                + "\"clientSecretName\":\"" + secret + "\",\"webhookSecret\":\"hook\",\"pollingInterval\":\"" + pollingInterval
                + "\",\"disablePolling\":" + disablePolling + "}";
        HttpResponse<String> resp = post("/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/gitrepos",
                "{\"metadata\":{\"name\":\"apps\"},\"spec\":" + spec + "}");
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(201);
    }

    private List<String> bundles() {
        return manager.store().list(Kind.BUNDLE, NS).stream().map(Json::name).sorted().toList();
    }

    private JsonNode gitRepoStatus() {
        return manager.store().get(new ObjectKey(Kind.GIT_REPO, NS, "apps")).orElseThrow().path("status");
    }

    @Test
    void commitsBecomeBundlesByPollingAndRemovedPathsDeleteTheirBundle() throws Exception {
        createGitRepo("1s", false, "git-auth");
        String first = repo.repository().resolve("main").name();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(bundles()).containsExactly("apps-a", "apps-b");
            assertThat(gitRepoStatus().path("commit").asText()).isEqualTo(first);
        });
        ObjectNode b = manager.store().get(new ObjectKey(Kind.BUNDLE, NS, "apps-b")).orElseThrow();
        assertThat(b.path("spec").path("defaultNamespace").asText()).isEqualTo("b");
        assertThat(Json.labels(b)).containsEntry("flotilla.io/repo-name", "apps");

        // A new commit is picked up within the polling interval.
        String second = repo.commit("a/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  v: \"2\"\n").name();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gitRepoStatus().path("commit").asText()).isEqualTo(second);
            assertThat(manager.store().get(new ObjectKey(Kind.BUNDLE, NS, "apps-a")).orElseThrow()
                    .path("spec").path("resources").toString()).contains("v: \\\"2\\\"");
        });

        // Removing a path from the repository deletes its bundle.
        String third = repo.remove("b").name();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gitRepoStatus().path("commit").asText()).isEqualTo(third);
            assertThat(bundles()).containsExactly("apps-a");
        });

        // An invalid fleet.yaml keeps the previous commit's bundles and names file and line.
        repo.commit("a/fleet.yaml", "defaultNamespace: a\nhelm:\n  valuez: {}\n");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode status = gitRepoStatus();
            assertThat(Conditions.get(status, "Stalled")).isEqualTo("True");
            assertThat(status.path("display").path("message").asText()).contains("a/fleet.yaml:3:3").contains("valuez");
        });
        assertThat(gitRepoStatus().path("commit").asText()).isEqualTo(third);
        assertThat(bundles()).containsExactly("apps-a");

        // the GitRepo's events tell the story: three commits fetched and built, then the refused one with file:line
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode events = Json.MAPPER.readTree(ManagerClient.admin(manager).send("GET", "/api/v1/namespaces/" + NS
                    + "/events?fieldSelector=involvedObject.kind%3DGitRepo,involvedObject.name%3Dapps", null).body());
            List<String> lines = new java.util.ArrayList<>();
            // (the refused commit is fetched again on each retry: those two events count up, the others stay at 1)
            events.path("items").forEach(e -> lines.add(e.path("type").asText() + " " + e.path("reason").asText()
                    + (e.path("reason").asText().equals("BundleRefused") || lines.size() == 6 ? "" : " " + e.path("count").asInt())));
            assertThat(lines).containsExactly("Normal CommitFetched 1", "Normal BundlesBuilt 1", "Normal CommitFetched 1",
                    "Normal BundlesBuilt 1", "Normal CommitFetched 1", "Normal BundlesBuilt 1", "Normal CommitFetched",
                    "Warning BundleRefused");
            assertThat(events.path("items").get(7).path("message").asText())
                    .startsWith("commit not applied, the previous bundles stay: ").contains("a/fleet.yaml:3:3");
            assertThat(events.path("items").get(5).path("message").asText()).isEqualTo("1 bundle built from commit "
                    + third + ": apps-a");
        });
    }

    @Test
    void wrongCredentialsGiveAClearConditionAndKeepBundles() throws Exception {
        createGitRepo("1s", false, "git-auth");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(bundles()).hasSize(2));
        post("/api/v1/namespaces/" + NS + "/secrets", "{\"metadata\":{\"name\":\"wrong\"},\"stringData\":{\"username\":\"fleet\",\"password\":\"nope\"}}");
        // read-modify-write, retried when the controller wrote the GitRepo's status in between
        await().atMost(Duration.ofSeconds(5)).ignoreException(io.flotilla.manager.store.StoreException.Conflict.class)
                .until(() -> {
                    ObjectNode gitRepo = manager.store().get(new ObjectKey(Kind.GIT_REPO, NS, "apps")).orElseThrow();
                    ((ObjectNode) gitRepo.path("spec")).put("clientSecretName", "wrong");
                    manager.store().update(gitRepo);
                    return true;
                });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode status = gitRepoStatus();
            assertThat(Conditions.get(status, "Stalled")).isEqualTo("True");
            assertThat(status.path("display").path("message").asText()).contains("authentication failed")
                    .contains("secret " + NS + "/wrong").doesNotContain("nope");
        });
        assertThat(bundles()).containsExactly("apps-a", "apps-b");
    }

    @Test
    void whatANonGitServerAnswersIsNeverEchoedIntoStatus() throws Exception {
        com.sun.net.httpserver.HttpServer internal = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        internal.createContext("/", ex -> {
            byte[] body = "INTERNAL-ONLY admin-password=hunter2\nsecond line\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("content-type", "application/x-git-upload-pack-advertisement");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        internal.start();
        try {
            String url = "http://127.0.0.1:" + internal.getAddress().getPort() + "/info.git";
            assertThat(post("/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/gitrepos",
                    "{\"metadata\":{\"name\":\"probe\"},\"spec\":{\"repo\":\"" + url + "\",\"branch\":\"main\"}}")
                    .statusCode()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode st = manager.store().get(new ObjectKey(Kind.GIT_REPO, NS, "probe")).orElseThrow().path("status");
                assertThat(Conditions.get(st, "Stalled")).isEqualTo("True");
                assertThat(st.toString()).doesNotContain("INTERNAL-ONLY").doesNotContain("hunter2");
            });
        } finally {
            internal.stop(0);
        }
    }

    @Test
    void byDefaultTheManagerContactsNoRemoteOnItsOwnMachine() throws Exception {
        Manager strict = Manager.start(ManagerConfig.defaults(dir.resolve("strict"), "127.0.0.1", 0))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try {
            ManagerClient admin = ManagerClient.admin(strict);
            for (String[] repo : new String[][]{{"loop", git.url("apps.git")}, {"disk", "file://" + dir.resolve("origin")}}) {
                assertThat(admin.send("POST", "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/gitrepos",
                        "{\"metadata\":{\"name\":\"" + repo[0] + "\"},\"spec\":{\"repo\":\"" + repo[1] + "\",\"branch\":\"main\"}}")
                        .statusCode()).isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode loop = strict.store().get(new ObjectKey(Kind.GIT_REPO, NS, "loop")).orElseThrow().path("status");
                assertThat(Conditions.get(loop, "Stalled")).isEqualTo("True");
                assertThat(loop.path("display").path("message").asText()).contains("--allow-loopback-repos");
                JsonNode disk = strict.store().get(new ObjectKey(Kind.GIT_REPO, NS, "disk")).orElseThrow().path("status");
                assertThat(disk.path("display").path("message").asText()).contains("--allow-file-repos");
            });
            assertThat(strict.store().list(Kind.BUNDLE, NS)).isEmpty();
        } finally {
            strict.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnreachableRepoPolledEveryMillisecondBacksOffAndWritesItsStatusOnce() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        HttpResponse<String> created = post("/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/gitrepos",
                "{\"metadata\":{\"name\":\"gone\"},\"spec\":{\"repo\":\"http://127.0.0.1:" + closedPort
                        + "/nothing.git\",\"branch\":\"main\",\"pollingInterval\":\"1ms\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
        ObjectKey key = new ObjectKey(Kind.GIT_REPO, NS, "gone");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Conditions.get(
                manager.store().get(key).orElseThrow().path("status"), "Stalled")).isEqualTo("True"));
        long stalledAt = Long.parseLong(Json.resourceVersion(manager.store().get(key).orElseThrow()));
        // "1ms" used to mean ~700 polls and store writes per second until deleted; now polls are at least 1 s apart,
        // back off on failure (1 s, 2 s, 4 s ...), and the same failure again is not written again.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> assertThat(
                Long.parseLong(Json.resourceVersion(manager.store().get(key).orElseThrow())) - stalledAt)
                .as("status writes of the GitRepo since it stalled").isLessThanOrEqualTo(1));
    }

    @Test
    void verifiedWebhookSyncsWithinASecondAndForgedOneIsRefused() throws Exception {
        createGitRepo("1h", true, "git-auth");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(bundles()).hasSize(2));
        String next = repo.commit("c.yaml", "x: 1\n").name();
        String payload = "{\"ref\":\"refs/heads/main\",\"after\":\"" + next + "\",\"repository\":{\"clone_url\":\""
                + git.url("apps.git") + "\",\"html_url\":\"" + git.url("apps") + "\"}}";

        HttpResponse<String> forged = webhook(payload, "sha256=" + "0".repeat(64));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(gitRepoStatus().path("commit").asText()).isNotEqualTo(next);

        Instant sent = Instant.now();
        HttpResponse<String> verified = webhook(payload, "sha256=" + hmac(payload));
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(verified.body()).contains(NS + "/apps");
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(gitRepoStatus().path("commit").asText()).isEqualTo(next));
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(1));
    }

    private ManagerClient anonymous;

    private HttpResponse<String> webhook(String payload, String signature) throws Exception {
        // no bearer token: the webhook is authenticated by its signature alone (one client: its TLS connection is reused)
        if (anonymous == null) {
            anonymous = ManagerClient.admin(manager).withToken(null);
        }
        return anonymous.http().send(HttpRequest.newBuilder(URI.create(anonymous.server() + "/webhooks/git"))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).header("content-type", "application/json")
                .header("X-GitHub-Event", "push").header("X-Hub-Signature-256", signature).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String hmac(String payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return ManagerClient.admin(manager).send(method, path, json); // TLS and the admin token, as every client
    }

    /** §2.6: a GitRepo refused by a GitRepoRestriction says which rule; lifting the restriction lets it through. */
    @Test
    void aGitRepoRestrictionRefusesAGitRepoNamingTheRule() throws Exception {
        String restrictions = "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/gitreporestrictions";
        HttpResponse<String> bad = post(restrictions, "{\"metadata\":{\"name\":\"broken\"},\"allowedRepoPatterns\":[\"(\"]}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("allowedRepoPatterns[0]", "not a valid regular expression");
        HttpResponse<String> created = post(restrictions, "{\"metadata\":{\"name\":\"team-b-only\"},"
                + "\"allowedRepoPatterns\":[\"/team-b/\"],\"defaultServiceAccount\":\"deployer\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        createGitRepo("1s", false, "git-auth");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode status = gitRepoStatus();
            assertThat(Conditions.get(status, "Accepted")).isEqualTo("False");
            assertThat(status.toString()).contains("is not allowed by allowedRepoPatterns [/team-b/] of GitRepoRestriction "
                    + "team-b-only").contains("RestrictionViolation");
        });
        assertThat(bundles()).isEmpty();

        // the restriction now allows the repository: accepted, read, and the default service account applies
        HttpResponse<String> replaced = send("PUT", restrictions + "/team-b-only", "{\"metadata\":{\"name\":"
                + "\"team-b-only\"},\"allowedRepoPatterns\":[\"/team-b/\",\"/apps\\\\.git$\"],"
                + "\"defaultServiceAccount\":\"deployer\"}");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(bundles()).containsExactly("apps-a", "apps-b");
            assertThat(Conditions.get(gitRepoStatus(), "Accepted")).isEqualTo("True");
        });
        ObjectNode bundle = manager.store().get(new ObjectKey(Kind.BUNDLE, NS, "apps-a")).orElseThrow();
        assertThat(bundle.path("spec").path("serviceAccount").asText()).isEqualTo("deployer");
    }
}

package io.flotilla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The manager's REST API as an operator uses it: registration tokens and GitRepos. */
final class ManagerApi {
    static final String NS = "fleet-default";
    private static final String BASE = "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final java.nio.file.Path adminConfig;

    /** @param adminConfig the manager's {@code admin.conf} (its admin token); read when first needed */
    ManagerApi(int port, java.nio.file.Path adminConfig) {
        this.base = "http://127.0.0.1:" + port;
        this.adminConfig = adminConfig;
    }

    /** The admin bearer token (benchmarks run the manager in cleartext: TLS is not what they measure). */
    String token() throws IOException {
        return io.flotilla.manager.security.ClientConfig.load(adminConfig).token();
    }

    /** Issues a registration token and answers its secret value. */
    String registrationToken(String name) throws IOException, InterruptedException {
        JsonNode created = call("POST", BASE + "clusterregistrationtokens",
                "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"ttl\":\"1h\"}}", 201);
        return created.path("status").path("token").asText();
    }

    /**
     * Creates a GitRepo on branch main targeting clusters labelled {@code bench=true}.
     *
     * @param paths           bundle directories; empty = every top-level directory is a bundle
     * @param pollingInterval e.g. {@code 15s}
     */
    void createGitRepo(String name, String url, List<String> paths, String pollingInterval)
            throws IOException, InterruptedException {
        ObjectNode repo = Json.object();
        repo.putObject("metadata").put("name", name);
        ObjectNode spec = repo.putObject("spec");
        spec.put("repo", url).put("branch", "main").put("pollingInterval", pollingInterval);
        ArrayNode p = spec.putArray("paths");
        paths.forEach(p::add);
        spec.putArray("targets").addObject().putObject("clusterSelector").putObject("matchLabels").put("bench", "true");
        call("POST", BASE + "gitrepos", repo.toString(), 201);
    }

    /** Every BundleDeployment (all namespaces), as the REST API lists them. */
    JsonNode bundleDeployments() throws IOException, InterruptedException {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(base
                + "/apis/flotilla.io/v1alpha1/bundledeployments")).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("GET bundledeployments answered " + resp.statusCode() + ": " + resp.body());
        }
        return Json.MAPPER.readTree(resp.body()).path("items");
    }

    /** True once the manager answers REST calls (and has written its admin config). */
    boolean answers() {
        try {
            if (!java.nio.file.Files.exists(adminConfig)) {
                return false;
            }
            return http.send(HttpRequest.newBuilder(URI.create(base + BASE + "gitrepos")).timeout(Duration.ofSeconds(2)).GET()
                    .header("authorization", "Bearer " + token()).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode call(String method, String path, String json, int expected) throws IOException, InterruptedException {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("content-type", "application/json").header("authorization", "Bearer " + token()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != expected) {
            throw new IOException(method + " " + path + " answered " + resp.statusCode() + ": " + resp.body());
        }
        return Json.MAPPER.readTree(resp.body());
    }
}

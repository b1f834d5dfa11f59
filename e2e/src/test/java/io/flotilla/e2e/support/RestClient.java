package io.flotilla.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Minimal REST calls against a manager for tests. */
public final class RestClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    public RestClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Reply(int code, JsonNode body) {
    }

    public Reply call(String method, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(resp.body());
        } catch (IOException plainText) {
            body = Json.MAPPER.getNodeFactory().textNode(resp.body());
        }
        return new Reply(resp.statusCode(), body);
    }

    /** GET that answers -1 when the manager is not listening (yet). */
    public int status(String path) {
        try {
            return call("GET", path, null).code();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        Reply r = call("GET", path, null);
        if (r.code() != 200) {
            throw new IOException("GET " + path + " → " + r.code() + ": " + r.body());
        }
        return r.body();
    }
}

package io.flotilla.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.security.ClientConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Minimal REST calls against a manager for tests, as a client configured by a client config file (server URL,
 * token, CA): by default the {@code admin.conf} the manager writes into its data dir. The file is read at each
 * call, so a client can be made before the manager (a child process) has written it.
 */
public final class RestClient {
    private final Path configFile;
    private final String tokenOverride;
    private ClientConfig cached;
    private HttpClient http;

    private RestClient(Path configFile, String tokenOverride) {
        this.configFile = configFile;
        this.tokenOverride = tokenOverride;
    }

    /** A client with the admin credential of the manager whose data dir is {@code dataDir}. */
    public static RestClient forDataDir(Path dataDir) {
        return new RestClient(dataDir.resolve(ClientConfig.ADMIN_FILE), null);
    }

    /** A client configured by this client config file. */
    public static RestClient of(Path configFile) {
        return new RestClient(configFile, null);
    }

    /** The same server and CA with another token ({@code ""}: none). */
    public RestClient withToken(String token) {
        return new RestClient(configFile, token);
    }

    public record Reply(int code, JsonNode body) {
    }

    public synchronized ClientConfig config() throws IOException {
        ClientConfig now = ClientConfig.load(configFile);
        if (cached == null || !now.equals(cached)) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30));
            if (now.server().startsWith("https")) {
                b.sslContext(now.sslContext());
            }
            http = b.build();
            cached = now;
        }
        return cached;
    }

    public Path configFile() {
        return configFile;
    }

    private HttpRequest.Builder request(ClientConfig config, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.server() + path)).timeout(Duration.ofSeconds(30));
        String token = tokenOverride != null ? tokenOverride : config.token();
        if (token != null && !token.isEmpty()) {
            b.header("authorization", "Bearer " + token);
        }
        return b;
    }

    public Reply call(String method, String path, String json) throws IOException, InterruptedException {
        ClientConfig config = config();
        HttpResponse<String> resp = http.send(request(config, path)
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

    /** A streaming GET (Server-Sent Events), line by line. */
    public HttpResponse<Stream<String>> lines(String path) throws IOException, InterruptedException {
        ClientConfig config = config();
        return http.send(request(config, path).timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** GET that answers -1 when the manager is not listening (yet), or has not written its client config. */
    public int status(String path) {
        try {
            if (!Files.exists(configFile)) {
                return -1;
            }
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

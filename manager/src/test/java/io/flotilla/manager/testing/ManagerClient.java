package io.flotilla.manager.testing;

import io.flotilla.manager.Manager;
import io.flotilla.manager.security.ClientConfig;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A test's view of a manager as a client sees it: the server URL, token and CA of a client config (by default the
 * admin config the manager wrote into its data dir), an HTTP client that trusts that CA, and gRPC clients alike.
 */
public final class ManagerClient {
    private final ClientConfig config;
    private final HttpClient http;

    public ManagerClient(ClientConfig config) {
        this.config = config;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20));
        if (config.server().startsWith("https")) {
            b.sslContext(config.sslContext());
        }
        this.http = b.build();
    }

    /** The admin config {@code <data-dir>/admin.conf} of a running manager. */
    public static ManagerClient admin(Manager manager) {
        try {
            return new ManagerClient(ClientConfig.load(manager.adminConfigFile()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same server and CA with another token (null: none). */
    public ManagerClient withToken(String token) {
        return new ManagerClient(new ClientConfig(config.apiVersion(), config.kind(), config.server(), token,
                config.certificateAuthorityData()));
    }

    public ClientConfig config() {
        return config;
    }

    public String token() {
        return config.token();
    }

    public URI server() {
        return URI.create(config.server());
    }

    /** A request to {@code path} carrying the token. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.server() + path)).timeout(Duration.ofSeconds(30));
        if (config.token() != null) {
            b.header("authorization", "Bearer " + config.token());
        }
        return b;
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return send(request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json").build());
    }

    public HttpClient http() {
        return http;
    }

    /** A gRPC client for this server (TLS trusting the config's CA, or h2c). */
    public GrpcClient grpc(Vertx vertx) {
        return GrpcClient.client(vertx, new GrpcClientOptions(), ClientConfig.grpcClientOptions(server(), config.caPem()));
    }
}

package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.security.ClientConfig;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A small blocking client of the manager's REST API for the admin commands. */
final class ApiClient {
    private final URI server;
    private final ServerOptions.ClientSettings settings;
    private final HttpClient http;

    ApiClient(ServerOptions.ClientSettings settings) {
        this.settings = settings;
        this.server = settings.server();
        // HTTP/1.1: one request or a few, where HTTP/2's machinery only costs start-up time
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10));
        if ("https".equalsIgnoreCase(server.getScheme())) {
            b.sslContext(ClientConfig.sslContext(settings.caPem()));
        }
        this.http = b.build();
    }

    /** A refused request, with the server's {@code Status} message. */
    static final class ApiFailure extends RuntimeException {
        final int code;

        ApiFailure(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** What a failed TLS handshake means for the user. */
    static String tlsFailure(URI server, java.nio.file.Path config, Exception e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null && chain.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
            chain.append(t.getMessage()).append(" / ");
        }
        String why = chain.toString();
        if (why.contains("PKIX") || why.contains("certification path") || why.contains("No subject alternative")
                || why.contains("No name matching")) {
            return "the manager at " + server + " presented a certificate that " + (why.contains("PKIX")
                    || why.contains("certification path") ? "is not signed by the CA in " + (config == null
                    ? "the JDK's trust store (no client config found)" : config) : "is not valid for " + server.getHost())
                    + " (wrong CA or wrong server?); use the client config the manager wrote (<data-dir>/admin.conf)";
        }
        return "TLS handshake with " + server + " failed: " + e.getMessage() + " (is it a TLS manager? http:// for a --plaintext one)";
    }

    static Kind kind(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "bd", "bds" -> Kind.BUNDLE_DEPLOYMENT;
            case "token", "tokens" -> Kind.CLUSTER_REGISTRATION_TOKEN;
            default -> Arrays.stream(Kind.values())
                    .filter(k -> k.plural().equals(t) || k.kindName().toLowerCase(Locale.ROOT).equals(t))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown kind \"" + text
                            + "\" (gitrepos, clusters, clustergroups, bundles, bundledeployments, tokens, gitreporestrictions)"));
        };
    }

    static String path(Kind kind, String namespace, String name) {
        String prefix = kind == Kind.SECRET ? "/api/v1" : "/apis/" + Kind.API_VERSION;
        String p = namespace == null ? prefix + "/" + kind.plural() : prefix + "/namespaces/" + namespace + "/" + kind.plural();
        return name == null ? p : p + "/" + name;
    }

    Optional<ObjectNode> get(String path) {
        try {
            return Optional.of(send("GET", path, null));
        } catch (ApiFailure e) {
            if (e.code == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    ObjectNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(30));
        req.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()));
        req.header("content-type", "application/json");
        if (settings.token() != null) {
            req.header("authorization", "Bearer " + settings.token());
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ApiFailure(0, "cannot reach the manager at " + server + " (is it running? set --server or FLOTILLA_SERVER)");
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new ApiFailure(0, tlsFailure(server, settings.source(), e));
        } catch (IOException e) {
            throw new ApiFailure(0, "request to " + server + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiFailure(0, "interrupted");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(resp.body());
        } catch (IOException e) {
            throw new ApiFailure(resp.statusCode(), "unexpected answer (" + resp.statusCode() + "): " + resp.body());
        }
        if (resp.statusCode() == 401 && settings.token() == null) {
            throw new ApiFailure(401, "the manager wants a token and none is configured: set FLOTILLA_TOKEN, or use the "
                    + "client config the manager wrote (<data-dir>/admin.conf; --config or FLOTILLA_CONFIG)");
        }
        if (resp.statusCode() >= 300) {
            throw new ApiFailure(resp.statusCode(), Json.text(json, "message"));
        }
        return (ObjectNode) json;
    }
}

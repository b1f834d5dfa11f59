package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.security.ClientConfig;
import io.flotilla.proto.v1.StatusEvent;
import io.flotilla.proto.v1.StatusFilter;
import io.flotilla.proto.v1.StatusServiceGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show GitRepo status from the manager's live status stream: ready BDs x/y, ready clusters x/y, "
                + "state and message. With --watch the table is redrawn on every change (plain lines when the output "
                + "is not a terminal).")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--server", description = "Manager URL (default: env FLOTILLA_SERVER, else the client config's server, "
            + "else https://127.0.0.1:8080).")
    URI server;

    @Option(names = "--config", description = "Client config (default: env FLOTILLA_CONFIG or ~/.flotilla/config); the "
            + "token may also come from env FLOTILLA_TOKEN.")
    java.nio.file.Path config;

    @Option(names = {"-n", "--namespace"}, description = "Only this namespace (default: all).")
    String namespace;

    @Option(names = {"-w", "--watch"}, description = "Keep watching and show every change.")
    boolean watch;

    private final Map<String, JsonNode> rows = new TreeMap<>();

    @Override
    public Integer call() throws Exception {
        ServerOptions.ClientSettings settings;
        try {
            settings = ServerOptions.ClientSettings.resolve(server, config);
        } catch (ApiClient.ApiFailure e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        URI server = settings.server();
        Vertx vertx = Vertx.vertx();
        // Statuses of GitRepos spanning thousands of clusters exceed the default 256 KiB message limit.
        GrpcClient client = GrpcClient.client(vertx, new io.vertx.grpc.client.GrpcClientOptions().setMaxMessageSize(64L * 1024 * 1024),
                ClientConfig.grpcClientOptions(server, settings.caPem()));
        boolean tty = System.console() != null;
        CompletableFuture<Integer> done = new CompletableFuture<>();
        StatusFilter.Builder filter = StatusFilter.newBuilder().addKinds("GitRepo");
        if (namespace != null) {
            filter.setNamespace(namespace);
        }
        int port = server.getPort() >= 0 ? server.getPort() : "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80;
        client.request(SocketAddress.inetSocketAddress(port, server.getHost()), StatusServiceGrpcClient.Watch)
                .compose(req -> {
                    if (settings.token() != null) {
                        req.headers().set("authorization", "Bearer " + settings.token());
                    }
                    return req.send(filter.build());
                })
                .onSuccess(resp -> {
                    boolean[] snapshotDone = {false};
                    resp.handler(event -> {
                        if (event.getType() == StatusEvent.Type.SNAPSHOT_END) {
                            snapshotDone[0] = true;
                            System.out.print(tty && watch ? "\033[H\033[2J" + table() : table());
                            System.out.flush();
                            if (!watch) {
                                done.complete(0);
                            }
                            return;
                        }
                        String key = event.getObject().getKey().getNamespace() + "/" + event.getObject().getKey().getName();
                        try {
                            rows.put(key, Json.MAPPER.readTree(event.getObject().getStatusJson()));
                        } catch (Exception e) {
                            return;
                        }
                        if (snapshotDone[0] && watch) {
                            if (tty) {
                                System.out.print("\033[H\033[2J" + table());
                            } else {
                                System.out.print(line(key, rows.get(key)));
                            }
                            System.out.flush();
                        }
                    });
                    resp.endHandler(v -> {
                        if (resp.status() != null && resp.status() != GrpcStatus.OK) {
                            System.err.println("error: " + resp.status() + ": " + resp.statusMessage());
                            done.complete(1);
                        } else {
                            done.complete(0);
                        }
                    });
                    resp.exceptionHandler(e -> {
                        if (!done.isDone()) {
                            System.err.println("error: status stream broke: " + e.getMessage());
                            done.complete(1);
                        }
                    });
                })
                .onFailure(e -> {
                    System.err.println("error: " + (e instanceof javax.net.ssl.SSLException || e.getCause() instanceof javax.net.ssl.SSLException
                            ? ApiClient.tlsFailure(server, settings.source(), (Exception) e)
                            : "cannot reach the manager at " + server + ": " + e.getMessage()));
                    done.complete(1);
                });
        try {
            return done.get(watch ? Long.MAX_VALUE : 30, watch ? TimeUnit.DAYS : TimeUnit.SECONDS);
        } finally {
            client.close();
            vertx.close();
        }
    }

    private String table() {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("GITREPO", "BUNDLEDEPLOYMENTS-READY", "CLUSTERS-READY", "STATE", "MESSAGE"));
        rows.forEach((key, st) -> out.add(row(key, st)));
        return Tables.render(out);
    }

    private static List<String> row(String key, JsonNode st) {
        String message = "";
        for (JsonNode c : st.path("conditions")) {
            if ("Ready".equals(Json.text(c, "type")) && c.hasNonNull("message")) {
                message = c.get("message").asText();
            }
        }
        String state = st.path("display").path("state").asText("");
        return List.of(key, st.path("display").path("readyBundleDeployments").asText(""),
                st.path("readyClusters").asInt() + "/" + st.path("desiredReadyClusters").asInt(),
                state.isEmpty() ? "Ready" : state, message);
    }

    private static String line(String key, JsonNode st) {
        return String.join("  ", row(key, st)) + "\n";
    }
}

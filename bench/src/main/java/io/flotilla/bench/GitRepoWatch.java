package io.flotilla.bench;

import io.flotilla.proto.v1.StatusEvent;
import io.flotilla.proto.v1.StatusFilter;
import io.flotilla.proto.v1.StatusServiceGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;

import java.util.concurrent.TimeUnit;

/**
 * A {@code StatusService.Watch} of the GitRepos of one namespace over its own gRPC connection, as a dashboard
 * or the CLI would hold it. Hands each GitRepo event to a listener with its arrival time and the GitRepo's
 * ready BD count, read from {@code display.readyBundleDeployments} ("ready/desired").
 */
final class GitRepoWatch implements AutoCloseable {
    /** Called on the watch's event loop for every GitRepo upsert event, snapshot ones included. */
    interface Listener {
        void event(long receivedNanos, String gitRepo, int ready, int desired);
    }

    private static final String READY_FIELD = "\"readyBundleDeployments\":\"";
    private final GrpcClient client;
    private final GrpcClientRequest<StatusFilter, StatusEvent> request;

    private GitRepoWatch(GrpcClient client, GrpcClientRequest<StatusFilter, StatusEvent> request) {
        this.client = client;
        this.request = request;
    }

    static GitRepoWatch open(Vertx vertx, int port, String token, String namespace, Listener listener) throws Exception {
        // A GitRepo spanning 10,000 clusters has a status of over 1 MiB (perClusterResourceCounts).
        GrpcClient client = GrpcClient.client(vertx, new io.vertx.grpc.client.GrpcClientOptions().setMaxMessageSize(64L * 1024 * 1024));
        GrpcClientRequest<StatusFilter, StatusEvent> request = client
                .request(SocketAddress.inetSocketAddress(port, "127.0.0.1"), StatusServiceGrpcClient.Watch)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        request.headers().set("authorization", "Bearer " + token);
        request.response().onSuccess(resp -> resp.handler(event -> {
            long received = System.nanoTime();
            if (event.getType() != StatusEvent.Type.UPSERT) {
                return;
            }
            String json = event.getObject().getStatusJson();
            int at = json.indexOf(READY_FIELD);
            if (at < 0) {
                return;
            }
            int start = at + READY_FIELD.length();
            int slash = json.indexOf('/', start);
            int end = json.indexOf('"', slash);
            listener.event(received, event.getObject().getKey().getName(), Integer.parseInt(json.substring(start, slash)),
                    Integer.parseInt(json.substring(slash + 1, end)));
        }));
        request.end(StatusFilter.newBuilder().addKinds("GitRepo").setNamespace(namespace).build());
        return new GitRepoWatch(client, request);
    }

    @Override
    public void close() throws Exception {
        request.cancel();
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

package io.flotilla.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import io.flotilla.proto.v1.StatusEvent;
import io.flotilla.proto.v1.StatusFilter;
import io.flotilla.proto.v1.StatusServiceGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.flotilla.manager.security.ClientConfig;

import java.net.URI;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A tooling-side subscriber of {@code StatusService.Watch} over real gRPC, recording events with arrival times. */
public final class StatusWatcher implements AutoCloseable {
    public record Received(Instant at, StatusEvent event) {
        public JsonNode status() {
            try {
                return Json.MAPPER.readTree(event.getObject().getStatusJson());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final GrpcClient client;
    private final List<Received> events = new CopyOnWriteArrayList<>();

    /** Watches as the client {@code rest} is configured (server, token, CA). */
    public StatusWatcher(RestClient rest, StatusFilter filter) throws Exception {
        ClientConfig config = rest.config();
        URI server = URI.create(config.server());
        client = GrpcClient.client(vertx, new GrpcClientOptions(), ClientConfig.grpcClientOptions(server, config.caPem()));
        client.request(SocketAddress.inetSocketAddress(server.getPort(), server.getHost()), StatusServiceGrpcClient.Watch)
                .compose(req -> {
                    req.headers().set("authorization", "Bearer " + config.token());
                    return req.send(filter);
                })
                .onSuccess(resp -> resp.handler(e -> events.add(new Received(Instant.now(), e))))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public List<Received> events() {
        return events;
    }

    /** The first event at or after {@code since} for object {@code name} whose status satisfies {@code test}. */
    public Received first(String name, Instant since, java.util.function.Predicate<JsonNode> test) {
        for (Received r : events) {
            if (r.event().hasObject() && r.event().getObject().getKey().getName().equals(name) && !r.at().isBefore(since)
                    && test.test(r.status())) {
                return r;
            }
        }
        return null;
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}

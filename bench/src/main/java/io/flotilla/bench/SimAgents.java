package io.flotilla.bench;

import io.flotilla.proto.v1.DeploymentUpsert;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Many {@link SimAgent}s in this JVM on one Vert.x instance and one gRPC client. Either every agent gets
 * its own HTTP/2 connection, as separate agent processes would, or agents share connections (HTTP/2
 * multiplexes up to the server's stream limit, 100 for Vert.x, on each), which lets one JVM simulate more agents
 * than it has file descriptors for.
 */
final class SimAgents implements AutoCloseable {
    /** Told of every BD upsert that reaches an agent; {@code first} when the agent did not hold the BD. */
    interface DeliveryListener {
        void delivered(SimAgent agent, DeploymentUpsert upsert, boolean first);
    }

    private final Vertx vertx;
    private final GrpcClient client;
    private final SocketAddress address;
    private final String connectionMode;
    private final List<SimAgent> agents = new ArrayList<>();
    private final AtomicInteger streamsEnded = new AtomicInteger();
    private volatile DeliveryListener listener = (a, u, f) -> { };

    private SimAgents(int port, int streamsPerConnection, int connections) {
        this.vertx = Vertx.vertx();
        this.address = SocketAddress.inetSocketAddress(port, "127.0.0.1");
        HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(streamsPerConnection);
        this.client = GrpcClient.client(vertx, vertx.httpClientBuilder().with(http)
                .with(new PoolOptions().setHttp2MaxSize(connections)).build());
        this.connectionMode = streamsPerConnection == 1 ? "one HTTP/2 connection per agent"
                : "up to " + streamsPerConnection + " agent streams per HTTP/2 connection, " + connections + " connections";
    }

    /** Every agent on its own connection (as real agents in separate processes). */
    static SimAgents connectionPerAgent(int port, int agents) {
        return new SimAgents(port, 1, agents + 8);
    }

    /** Agents share connections, {@code streamsPerConnection} streams on each. */
    static SimAgents multiplexed(int port, int agents, int streamsPerConnection) {
        return new SimAgents(port, streamsPerConnection, (agents + streamsPerConnection - 1) / streamsPerConnection + 2);
    }

    String connectionMode() {
        return connectionMode;
    }

    void onDelivery(DeliveryListener listener) {
        this.listener = listener;
    }

    /**
     * Registers agents {@code prefix-00000...} with {@code labels} and opens their streams, {@code parallelism}
     * at a time; returns when every one has been welcomed.
     */
    List<SimAgent> start(String token, String prefix, int count, Map<String, String> labels, SimAgent.Reporting reporting,
                         int parallelism, long timeoutSeconds) throws Exception {
        List<SimAgent> started = register(token, prefix, count, labels, reporting, parallelism, timeoutSeconds);
        connect(started, parallelism, timeoutSeconds);
        return started;
    }

    /** Registers agents {@code prefix-00000...} with {@code labels} without opening their streams. */
    List<SimAgent> register(String token, String prefix, int count, Map<String, String> labels, SimAgent.Reporting reporting,
                            int parallelism, long timeoutSeconds) throws Exception {
        List<SimAgent> registered = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            registered.add(new SimAgent(this, String.format("%s-%05d", prefix, i), labels, reporting));
        }
        bounded(registered, parallelism, a -> a.register(token)).get(timeoutSeconds, TimeUnit.SECONDS);
        agents.addAll(registered);
        return registered;
    }

    /** Opens the streams of registered agents; returns when every one has been welcomed. */
    void connect(List<SimAgent> registered, int parallelism, long timeoutSeconds) throws Exception {
        bounded(registered, parallelism, SimAgent::connect).get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** Runs {@code op} on every item with at most {@code parallelism} in flight. */
    private static <T> CompletableFuture<Void> bounded(List<T> items, int parallelism, Function<T, Future<Void>> op) {
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(parallelism, items.size()); w++) {
            workers.add(worker(items, next, op));
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new));
    }

    private static <T> CompletableFuture<Void> worker(List<T> items, AtomicInteger next, Function<T, Future<Void>> op) {
        int i = next.getAndIncrement();
        if (i >= items.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return op.apply(items.get(i)).toCompletionStage().toCompletableFuture().thenCompose(v -> worker(items, next, op));
    }

    void delivered(SimAgent agent, DeploymentUpsert upsert, boolean first) {
        listener.delivered(agent, upsert, first);
    }

    void streamEnded(SimAgent agent, String why) {
        if (streamsEnded.incrementAndGet() <= 3) {
            System.err.println("simulated agent " + agent.name() + ": stream ended: " + why);
        }
    }

    /** Streams the manager ended or lost (0 in a healthy run). */
    int streamsEnded() {
        return streamsEnded.get();
    }

    Vertx vertx() {
        return vertx;
    }

    GrpcClient client() {
        return client;
    }

    SocketAddress address() {
        return address;
    }

    @Override
    public void close() throws Exception {
        agents.forEach(SimAgent::close);
        client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}

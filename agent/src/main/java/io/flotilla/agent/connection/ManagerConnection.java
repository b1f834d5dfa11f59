package io.flotilla.agent.connection;

import io.flotilla.proto.v1.AgentMessage;
import io.flotilla.proto.v1.AgentStreamGrpcClient;
import io.flotilla.proto.v1.ClusterHealth;
import io.flotilla.proto.v1.Heartbeat;
import io.flotilla.proto.v1.Hello;
import io.flotilla.proto.v1.ManagerMessage;
import io.flotilla.proto.v1.RegisterRequest;
import io.flotilla.proto.v1.RegisterResponse;
import io.flotilla.proto.v1.RegistrationGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's side of the protocol: {@code Register} once, then one {@code Connect} stream kept open,
 * re-opened with jittered exponential backoff whenever it ends. Event-loop confined (one Vert.x context).
 */
public final class ManagerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerConnection.class);
    public static final String AGENT_VERSION = "0.1.0";

    private final Vertx vertx;
    private GrpcClient client;
    private final URI manager;
    private final SocketAddress address;
    private final Backoff backoff;
    private final Supplier<ClusterHealth> health;
    private final Consumer<ManagerMessage> onMessage;
    private final Supplier<Map<String, io.flotilla.proto.v1.HeldDeployment>> held;
    private final Runnable onConnected;
    private AgentState state;
    private GrpcClientRequest<AgentMessage, ManagerMessage> stream;
    private long heartbeatTimer = -1;
    private long reconnectTimer = -1;
    private Runnable onReconnect = () -> { };

    /** Told each time the stream ended and a reconnect is scheduled (metrics). */
    public void onReconnect(Runnable onReconnect) {
        this.onReconnect = onReconnect;
    }
    private boolean stopped;
    private volatile boolean connected;
    private io.vertx.core.Context context;

    /**
     * @param health    latest known health of the downstream cluster API, null until first probed (cached by the caller)
     * @param held      the hello digest: BD name → what the agent applied
     * @param onMessage manager messages other than the welcome (deployments, contents, acks)
     * @param onConnected called once the manager welcomed the stream
     */
    public ManagerConnection(Vertx vertx, URI manager, Backoff backoff, Supplier<ClusterHealth> health,
                             Supplier<Map<String, io.flotilla.proto.v1.HeldDeployment>> held,
                             Consumer<ManagerMessage> onMessage, Runnable onConnected) {
        this.held = held;
        this.onConnected = onConnected;
        this.vertx = vertx;
        this.manager = manager;
        this.address = address(manager);
        this.backoff = backoff;
        this.health = health;
        this.onMessage = onMessage;
    }

    /** Rejected registration: retrying with the same token cannot succeed. */
    public static final class RegistrationRefused extends RuntimeException {
        public RegistrationRefused(String message) {
            super(message);
        }
    }

    static SocketAddress address(URI manager) {
        int port = manager.getPort() >= 0 ? manager.getPort() : "https".equalsIgnoreCase(manager.getScheme()) ? 443 : 80;
        return SocketAddress.inetSocketAddress(port, manager.getHost());
    }

    /**
     * gRPC over h2c for {@code http://}, over TLS for {@code https://}: trusting only the pinned CA when there is a pin
     * (from the registration token), the JDK's trust store otherwise.
     */
    static GrpcClient client(Vertx vertx, URI manager, String caPin) {
        HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
        if ("https".equalsIgnoreCase(manager.getScheme())) {
            options.setSsl(true).setUseAlpn(true);
            if (caPin != null) {
                options.setTrustOptions(TrustOptions.wrap(new PinnedTrustManager(caPin)));
            }
        } else if (caPin != null) {
            LOG.warn("The registration token pins the manager's CA but --manager {} is cleartext: nothing is verified; "
                    + "use https://", manager);
        }
        return GrpcClient.client(vertx, new GrpcClientOptions(), options);
    }

    /** What a failed connection means for the user (TLS failures name their cause). */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException || t instanceof javax.net.ssl.SSLException) {
                Throwable root = t;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                return "TLS: " + (root.getMessage() == null ? root.toString() : root.getMessage());
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Exchanges the registration token for a credential. Fails with {@link RegistrationRefused} on a bad token. */
    public static Future<RegisterResponse> register(Vertx vertx, URI manager, String token, String clusterName,
                                                    Map<String, String> labels) {
        GrpcClient client = client(vertx, manager, PinnedTrustManager.pinOf(token));
        SocketAddress address = address(manager);
        return client.request(address, RegistrationGrpcClient.Register)
                .compose(req -> req.send(RegisterRequest.newBuilder()
                        .setToken(token == null ? "" : token)
                        .setClusterName(clusterName)
                        .putAllLabels(labels)
                        .setAgentVersion(AGENT_VERSION)
                        .build()))
                .compose(resp -> resp.last().transform(ar -> {
                    if (resp.status() != null && resp.status() != GrpcStatus.OK) {
                        String msg = "registration refused (" + resp.status() + "): " + resp.statusMessage();
                        return Future.failedFuture(resp.status() == GrpcStatus.UNAVAILABLE
                                ? new IllegalStateException(msg) : new RegistrationRefused(msg));
                    }
                    return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
                }))
                .recover(e -> {
                    String why = describe(e);
                    // a manager that is not the one the token pins will not become it by retrying
                    return Future.failedFuture(why.startsWith("TLS: ") && why.contains("pins")
                            ? new RegistrationRefused("cannot register with " + manager + ": " + why) : e);
                })
                .eventually(client::close);
    }

    /** Starts (and keeps) the stream for the cluster the state names. */
    public void start(AgentState state) {
        this.state = state;
        this.client = client(vertx, manager, state.caPin());
        this.context = vertx.getOrCreateContext();
        context.runOnContext(v -> connect());
    }

    public boolean isConnected() {
        return connected;
    }

    /** Sends a message on the open stream; returns false when there is none (the caller re-sends after reconnect). */
    public boolean send(AgentMessage message) {
        if (!connected) {
            return false;
        }
        context.runOnContext(v -> {
            if (stream != null && connected) {
                stream.write(message);
            }
        });
        return true;
    }

    public Future<Void> stop() {
        stopped = true;
        cancelTimers();
        if (stream != null) {
            stream.cancel();
        }
        return client == null ? Future.succeededFuture() : client.close();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        client.request(address, AgentStreamGrpcClient.Connect).onComplete(ar -> {
            if (ar.failed()) {
                retry("cannot reach the manager at " + manager + ": " + describe(ar.cause()));
                return;
            }
            GrpcClientRequest<AgentMessage, ManagerMessage> req = ar.result();
            req.headers().set("authorization", "Bearer " + state.credential());
            req.headers().set("x-flotilla-cluster", state.clusterNamespace() + "/" + state.clusterName());
            stream = req;
            req.response().onComplete(rr -> {
                if (rr.failed()) {
                    lost(req, "stream failed: " + rr.cause().getMessage());
                    return;
                }
                opened(req, rr.result());
            });
            req.exceptionHandler(e -> lost(req, "stream error: " + e.getMessage()));
            // The request (and its headers) reach the manager with the first message: say hello at once.
            Hello.Builder hello = Hello.newBuilder().setAgentVersion(AGENT_VERSION).putAllHeld(held.get());
            ClusterHealth current = health.get();
            if (current != null) {
                hello.setClusterHealth(current);
            }
            req.write(AgentMessage.newBuilder().setHello(hello).build());
        });
    }

    private void opened(GrpcClientRequest<AgentMessage, ManagerMessage> req, GrpcClientResponse<AgentMessage, ManagerMessage> resp) {
        resp.handler(message -> {
            if (message.hasWelcome()) {
                connected = true;
                backoff.reset();
                LOG.info("Connected to the manager as cluster {}/{}", state.clusterNamespace(), state.clusterName());
                long interval = Math.max(200, message.getWelcome().getHeartbeatIntervalMillis());
                onConnected.run();
                cancelTimers();
                heartbeatTimer = vertx.setPeriodic(interval, id -> {
                    Heartbeat.Builder beat = Heartbeat.newBuilder().setSentAtUnixMillis(System.currentTimeMillis());
                    ClusterHealth current = health.get();
                    if (current != null) {
                        beat.setClusterHealth(current);
                    }
                    req.write(AgentMessage.newBuilder().setHeartbeat(beat).build());
                });
            } else {
                onMessage.accept(message);
            }
        });
        resp.endHandler(v -> {
            GrpcStatus status = resp.status();
            String why = status == null || status == GrpcStatus.OK ? "the manager closed the stream"
                    : status + ": " + resp.statusMessage();
            if (status == GrpcStatus.UNAUTHENTICATED || status == GrpcStatus.PERMISSION_DENIED) {
                LOG.error("The manager refused this agent's credential ({}); re-register with a new token if this persists",
                        why);
            }
            lost(req, why);
        });
        resp.exceptionHandler(e -> lost(req, "connection lost: " + e.getMessage()));
    }

    private void lost(GrpcClientRequest<AgentMessage, ManagerMessage> req, String why) {
        if (stream != req) {
            return;
        }
        stream = null;
        connected = false;
        cancelTimers();
        retry(why);
    }

    private void retry(String why) {
        if (stopped) {
            return;
        }
        Duration delay = backoff.next();
        onReconnect.run();
        LOG.warn("Manager stream down ({}); reconnecting in {} ms (attempt {})", why, delay.toMillis(), backoff.attempts());
        reconnectTimer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> connect());
    }

    private void cancelTimers() {
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
        if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
            reconnectTimer = -1;
        }
    }

    /** Used by tests that need to wait for the stream. */
    public Future<Void> awaitConnected(Duration timeout) {
        Promise<Void> p = Promise.promise();
        long start = System.nanoTime();
        vertx.setPeriodic(20, id -> {
            if (connected) {
                vertx.cancelTimer(id);
                p.tryComplete();
            } else if (System.nanoTime() - start > timeout.toNanos()) {
                vertx.cancelTimer(id);
                p.tryFail("not connected within " + timeout);
            }
        });
        return p.future();
    }
}

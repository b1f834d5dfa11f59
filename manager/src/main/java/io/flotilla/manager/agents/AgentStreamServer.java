package io.flotilla.manager.agents;

import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.registration.AuthException;
import io.flotilla.manager.registration.RegistrationService;
import io.flotilla.proto.v1.AgentMessage;
import io.flotilla.proto.v1.AgentStreamGrpcService;
import io.flotilla.proto.v1.ManagerMessage;
import io.flotilla.proto.v1.RegisterRequest;
import io.flotilla.proto.v1.RegisterResponse;
import io.flotilla.proto.v1.RegistrationGrpcService;
import io.flotilla.proto.v1.Welcome;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gRPC side of agents: {@code Registration.Register} and the {@code AgentStream.Connect} stream.
 * Thin: authentication and storage run on the worker pool; stream events go to {@link ClusterLiveness}
 * and to the {@link AgentMessageHandler} that later layers plug in.
 */
public final class AgentStreamServer {
    private static final Logger LOG = LoggerFactory.getLogger(AgentStreamServer.class);
    public static final String AUTHORIZATION = "authorization";
    public static final String CLUSTER_HEADER = "x-flotilla-cluster";

    private final Blocking blocking;
    private final RegistrationService registration;
    private final ClusterLiveness liveness;
    private final Duration heartbeatInterval;
    private final AtomicLong sessionIds = new AtomicLong();
    private final Map<ObjectKey, AgentSession> sessions = new HashMap<>();
    private AgentMessageHandler handler = AgentMessageHandler.NONE;
    /** False on a standby replica and while the controllers are not deployed: agents are told to retry elsewhere. */
    private volatile boolean accepting;
    private io.flotilla.manager.metrics.ManagerMetrics metrics;
    private final java.util.Set<AgentSession> counted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    public AgentStreamServer(Blocking blocking, RegistrationService registration, ClusterLiveness liveness,
                             Duration heartbeatInterval) {
        this.blocking = blocking;
        this.registration = registration;
        this.liveness = liveness;
        this.heartbeatInterval = heartbeatInterval;
    }

    /** Counts streams opened, closed and refused; connected agents are a gauge. Call before {@link #bind}. */
    public void observe(io.flotilla.manager.metrics.ManagerMetrics metrics) {
        this.metrics = metrics;
        metrics.gauge("flotilla.agents.connected", "Agents with an open stream to this manager", java.util.Map.of(),
                this, s -> s.connectedGauge);
    }

    /** Read by scrapes from another thread: updated on the event loop whenever {@link #sessions} changes size. */
    private volatile int connectedGauge;

    private void refused(String reason) {
        if (metrics != null) {
            metrics.streamRefused(reason);
        }
    }

    /** Plugs in what handles hellos, reports and content requests (BD delivery and status layers). */
    public void setHandler(AgentMessageHandler handler) {
        this.handler = handler;
    }

    public void bind(GrpcServer server) {
        server.callHandler(RegistrationGrpcService.Register, this::register);
        server.callHandler(AgentStreamGrpcService.Connect, this::connect);
    }

    /** Opens (true) or closes (false) the door to agents; closing also ends every open stream. */
    public void accepting(boolean accepting) {
        this.accepting = accepting;
        if (!accepting) {
            closeAll();
        }
    }

    private boolean refuseWhenStandby(GrpcServerResponse<?, ?> response) {
        if (accepting) {
            return false;
        }
        response.status(GrpcStatus.UNAVAILABLE)
                .statusMessage("this Flotilla manager replica is not the leader (standby or stopping); retry").end();
        return true;
    }

    /** The open session of a cluster, if its agent is connected. */
    public AgentSession session(ObjectKey cluster) {
        return sessions.get(cluster);
    }

    public int connectedCount() {
        return sessions.size();
    }

    public void closeAll() {
        sessions.values().forEach(AgentSession::close);
        sessions.clear();
        connectedGauge = 0;
    }

    private void register(GrpcServerRequest<RegisterRequest, RegisterResponse> request) {
        if (refuseWhenStandby(request.response())) {
            return;
        }
        request.last().onSuccess(req -> blocking.run(() -> registration.register(req.getToken(), req.getClusterName(),
                        req.getLabelsMap(), req.getNamespace()))
                .onSuccess(reg -> request.response().end(RegisterResponse.newBuilder()
                        .setClusterNamespace(reg.clusterNamespace())
                        .setClusterName(reg.clusterName())
                        .setCredential(reg.credential())
                        .build()))
                .onFailure(e -> {
                    LOG.warn("Registration of cluster \"{}\" refused: {}", req.getClusterName(), e.getMessage());
                    fail(request.response(), e);
                }));
    }

    private void connect(GrpcServerRequest<AgentMessage, ManagerMessage> request) {
        GrpcServerResponse<AgentMessage, ManagerMessage> response = request.response();
        if (!accepting) {
            refused("standby");
        }
        if (refuseWhenStandby(response)) {
            return;
        }
        String clusterHeader = request.headers().get(CLUSTER_HEADER);
        String auth = request.headers().get(AUTHORIZATION);
        String credential = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        if (clusterHeader == null || !clusterHeader.contains("/")) {
            refused("invalid");
            response.status(GrpcStatus.INVALID_ARGUMENT)
                    .statusMessage("missing " + CLUSTER_HEADER + " metadata (namespace/name)").end();
            return;
        }
        String ns = clusterHeader.substring(0, clusterHeader.indexOf('/'));
        String name = clusterHeader.substring(clusterHeader.indexOf('/') + 1);
        ObjectKey cluster = ClusterLiveness.clusterKey(ns, name);
        // A client that gives up while its credential is checked must not open a session: that would replace (and
        // close) the live stream of the cluster's real agent with a dead one.
        java.util.concurrent.atomic.AtomicReference<String> gone = new java.util.concurrent.atomic.AtomicReference<>();
        request.errorHandler(error -> gone.compareAndSet(null, "cancelled by the client (" + error + ")"));
        request.exceptionHandler(e -> gone.compareAndSet(null, "lost: " + e));
        response.exceptionHandler(e -> gone.compareAndSet(null, "lost: " + e));
        request.pause();
        blocking.run(() -> {
            registration.authenticate(ns, name, credential);
            return null;
        }).onComplete(ar -> {
            if (gone.get() != null) {
                LOG.info("{}: stream {} during its credential check; not opened", cluster, gone.get());
                return;
            }
            if (!accepting) {
                refused("standby");
                refuseWhenStandby(response);
                return;
            }
            if (ar.failed()) {
                refused(refusalReason(ar.cause()));
                LOG.warn("{}: stream refused: {}", cluster, ar.cause().getMessage());
                fail(response, ar.cause());
                return;
            }
            open(cluster, request, response);
        });
    }

    private void open(ObjectKey cluster, GrpcServerRequest<AgentMessage, ManagerMessage> request,
                      GrpcServerResponse<AgentMessage, ManagerMessage> response) {
        AgentSession session = new AgentSession(sessionIds.incrementAndGet(), cluster, response);
        AgentSession previous = sessions.put(cluster, session);
        connectedGauge = sessions.size();
        if (metrics != null) {
            metrics.streamOpened();
            counted.add(session);
        }
        if (previous != null) {
            LOG.info("{}: a new stream replaces the previous one", cluster);
            previous.close();
            if (counted.remove(previous)) {
                metrics.streamClosed(); // its end may never be heard (a connection that died silently)
            }
        }
        // The Vert.x client's stream completes on the first message: answer at once.
        response.write(ManagerMessage.newBuilder().setWelcome(Welcome.newBuilder()
                .setClusterNamespace(cluster.namespace())
                .setClusterName(cluster.name())
                .setHeartbeatIntervalMillis(heartbeatInterval.toMillis())).build());
        liveness.connected(cluster, "");
        request.handler(message -> {
            switch (message.getKindCase()) {
                case HELLO -> {
                    liveness.agentVersion(cluster, message.getHello().getAgentVersion());
                    liveness.seen(cluster, message.getHello().hasClusterHealth() ? message.getHello().getClusterHealth() : null);
                    handler.onHello(session, message.getHello());
                }
                case HEARTBEAT -> liveness.seen(cluster, message.getHeartbeat().hasClusterHealth()
                        ? message.getHeartbeat().getClusterHealth() : null);
                case REPORT -> {
                    liveness.seen(cluster, null);
                    handler.onReport(session, message.getReport());
                }
                case CONTENT_REQUEST -> handler.onContentRequest(session, message.getContentRequest());
                default -> LOG.debug("{}: ignoring an empty message", cluster);
            }
        });
        request.endHandler(v -> closed(session, "agent ended the stream"));
        request.exceptionHandler(e -> closed(session, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        response.exceptionHandler(e -> closed(session, "connection lost"));
        request.resume();
    }

    private void closed(AgentSession session, String why) {
        session.markClosed();
        if (counted.remove(session)) {
            metrics.streamClosed();
        }
        if (sessions.get(session.cluster()) == session) {
            sessions.remove(session.cluster());
            connectedGauge = sessions.size();
            liveness.disconnected(session.cluster(), why);
            handler.onDisconnect(session);
        }
    }

    private static String refusalReason(Throwable e) {
        if (e instanceof AuthException auth) {
            return switch (auth.code()) {
                case UNAUTHENTICATED -> "unauthenticated";
                case PERMISSION_DENIED -> "permission_denied";
                case INVALID_ARGUMENT, ALREADY_EXISTS -> "invalid";
            };
        }
        return "internal";
    }

    private static void fail(GrpcServerResponse<?, ?> response, Throwable e) {
        GrpcStatus status = GrpcStatus.INTERNAL;
        String message = "internal error";
        if (e instanceof AuthException auth) {
            status = switch (auth.code()) {
                case UNAUTHENTICATED -> GrpcStatus.UNAUTHENTICATED;
                case PERMISSION_DENIED -> GrpcStatus.PERMISSION_DENIED;
                case INVALID_ARGUMENT -> GrpcStatus.INVALID_ARGUMENT;
                case ALREADY_EXISTS -> GrpcStatus.ALREADY_EXISTS;
            };
            message = auth.getMessage();
        } else {
            LOG.error("Unexpected error while serving an agent", e);
        }
        try {
            response.status(status).statusMessage(message).end();
        } catch (IllegalStateException alreadyEnded) {
            LOG.debug("Response already ended: {}", alreadyEnded.getMessage());
        }
    }
}

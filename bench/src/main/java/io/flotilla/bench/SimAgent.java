package io.flotilla.bench;

import io.flotilla.proto.v1.AgentMessage;
import io.flotilla.proto.v1.AgentStreamGrpcClient;
import io.flotilla.proto.v1.DeploymentStatus;
import io.flotilla.proto.v1.DeploymentUpsert;
import io.flotilla.proto.v1.Heartbeat;
import io.flotilla.proto.v1.Hello;
import io.flotilla.proto.v1.ManagerMessage;
import io.flotilla.proto.v1.RegisterRequest;
import io.flotilla.proto.v1.RegistrationGrpcClient;
import io.flotilla.proto.v1.ResourceCounts;
import io.flotilla.proto.v1.ResourceRef;
import io.flotilla.proto.v1.StatusReport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClientRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated agent: registers, keeps one {@code AgentStream.Connect} stream open with heartbeats, records
 * the BDs the manager delivers and reports each as applied at once, Ready or not as its {@link Reporting} says
 * (upserts that arrive together go out in one report, as a real agent batches its monitor results). Deploys nothing.
 */
final class SimAgent {
    /** What the agent reports when a BD arrives. */
    enum Reporting { READY, NOT_READY }

    private final SimAgents pool;
    private final String name;
    private final Map<String, String> labels;
    private final Reporting reporting;
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final List<DeploymentStatus> pending = new ArrayList<>();
    private String credential;
    private String cluster;
    private volatile GrpcClientRequest<AgentMessage, ManagerMessage> stream;
    private long heartbeatTimer = -1;

    SimAgent(SimAgents pool, String name, Map<String, String> labels, Reporting reporting) {
        this.pool = pool;
        this.name = name;
        this.labels = labels;
        this.reporting = reporting;
    }

    String name() {
        return name;
    }

    /** BD name → deployment id of every BD delivered so far. */
    Map<String, String> held() {
        return held;
    }

    Future<Void> register(String token) {
        return pool.client().request(pool.address(), RegistrationGrpcClient.Register)
                .compose(req -> req.send(RegisterRequest.newBuilder().setToken(token).setClusterName(name)
                        .putAllLabels(labels).setAgentVersion("bench-sim").build()))
                .compose(resp -> resp.last())
                .map(r -> {
                    credential = r.getCredential();
                    cluster = r.getClusterNamespace() + "/" + r.getClusterName();
                    return null;
                });
    }

    /** Opens the stream with a hello of what it holds; completes when the manager's Welcome arrives. */
    Future<Void> connect() {
        if (heartbeatTimer >= 0) { // a reconnect: the old stream's heartbeats stop
            pool.vertx().cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
        Promise<Void> welcomed = Promise.promise();
        pool.client().request(pool.address(), AgentStreamGrpcClient.Connect).onSuccess(req -> {
            stream = req;
            req.headers().set("authorization", "Bearer " + credential);
            req.headers().set("x-flotilla-cluster", cluster);
            // The digest of what it holds, as a real agent sends it: after a manager restart nothing is re-sent.
            Hello.Builder hello = Hello.newBuilder().setAgentVersion("bench-sim");
            held.forEach((bd, id) -> hello.putHeld(bd, io.flotilla.proto.v1.HeldDeployment.newBuilder()
                    .setAppliedDeploymentId(id).setLastStatusSequence(sequence.get()).build()));
            req.write(AgentMessage.newBuilder().setHello(hello).build());
            req.response().onSuccess(resp -> {
                Context context = Vertx.currentContext();
                resp.handler(m -> received(m, context, welcomed));
                resp.endHandler(v -> pool.streamEnded(this, "ended by the manager"));
                resp.exceptionHandler(e -> pool.streamEnded(this, e.toString()));
            }).onFailure(welcomed::tryFail);
        }).onFailure(welcomed::tryFail);
        return welcomed.future();
    }

    private void received(ManagerMessage message, Context context, Promise<Void> welcomed) {
        switch (message.getKindCase()) {
            case WELCOME -> {
                long interval = Math.max(1000, message.getWelcome().getHeartbeatIntervalMillis());
                heartbeatTimer = pool.vertx().setPeriodic(ThreadLocalRandom.current().nextLong(1, interval), interval,
                        id -> write(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                                .setSentAtUnixMillis(System.currentTimeMillis())).build()));
                welcomed.tryComplete();
            }
            case UPSERT -> {
                DeploymentUpsert upsert = message.getUpsert();
                String previous = held.put(upsert.getName(), upsert.getDeploymentId());
                pool.delivered(this, upsert, previous == null);
                boolean first;
                synchronized (pending) {
                    first = pending.isEmpty();
                    pending.add(status(upsert.getName(), upsert.getDeploymentId(), reporting == Reporting.READY));
                }
                if (first) {
                    context.runOnContext(v -> flushPending());
                }
            }
            case DELETE -> held.remove(message.getDelete().getName());
            default -> {
                // Content, Ack: nothing to do for a simulated agent.
            }
        }
    }

    private void flushPending() {
        List<DeploymentStatus> batch;
        synchronized (pending) {
            batch = new ArrayList<>(pending);
            pending.clear();
        }
        report(batch);
    }

    /** Sends one status report (next sequence number) with {@code statuses}. */
    void report(List<DeploymentStatus> statuses) {
        write(AgentMessage.newBuilder().setReport(StatusReport.newBuilder().setSequence(sequence.incrementAndGet())
                .addAllDeployments(statuses)).build());
    }

    private void write(AgentMessage message) {
        GrpcClientRequest<AgentMessage, ManagerMessage> s = stream;
        if (s != null) {
            try {
                s.write(message);
            } catch (IllegalStateException streamFailed) {
                return; // the manager went away (a restart): the next connect() opens a new stream
            }
        }
    }

    /** What a real agent reports for a bundle of one ConfigMap, applied and Ready or not. */
    static DeploymentStatus status(String bd, String deploymentId, boolean ready) {
        return DeploymentStatus.newBuilder().setName(bd).setAppliedDeploymentId(deploymentId).setReady(ready)
                .setNonModified(true)
                .addResources(ResourceRef.newBuilder().setKind("ConfigMap").setApiVersion("v1").setNamespace("default")
                        .setName("bench-" + bd))
                .setResourceCounts(ResourceCounts.newBuilder().setDesiredReady(1).setReady(ready ? 1 : 0)
                        .setNotReady(ready ? 0 : 1))
                .build();
    }

    void close() {
        if (heartbeatTimer >= 0) {
            pool.vertx().cancelTimer(heartbeatTimer);
        }
        GrpcClientRequest<AgentMessage, ManagerMessage> s = stream;
        stream = null;
        if (s != null) {
            s.cancel();
        }
    }
}

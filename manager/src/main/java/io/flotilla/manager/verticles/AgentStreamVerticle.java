package io.flotilla.manager.verticles;

import io.flotilla.manager.agents.AgentStreamServer;
import io.flotilla.manager.agents.ClusterLiveness;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.deploy.AgentDelivery;
import io.flotilla.manager.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The agent streams: while deployed, agents may register and connect, BD changes are delivered to them and
 * cluster liveness is swept; undeployed, agents are told UNAVAILABLE and reconnect to the new leader.
 */
public final class AgentStreamVerticle extends ControllerVerticle {
    private final Store store;
    private final AgentStreamServer agents;
    private final AgentDelivery delivery;
    private final ClusterLiveness liveness;
    /** Where the gRPC server runs the streams: liveness state is confined to it. */
    private final Context streamContext;
    private long sweepTimer = -1;

    public AgentStreamVerticle(Store store, AgentStreamServer agents, AgentDelivery delivery, ClusterLiveness liveness,
                               Context streamContext) {
        this.streamContext = streamContext;
        this.store = store;
        this.agents = agents;
        this.delivery = delivery;
        this.liveness = liveness;
    }

    @Override
    protected void startBlocking() {
        store.addListener(delivery);
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> store.list(Kind.CLUSTER, null), false).compose(clusters -> {
            // Until its agent connects to this manager, every cluster that had an agent counts as disconnected since
            // now (and goes Offline unless it returns); one that never had an agent stays WaitCheckIn.
            Promise<Void> assumed = Promise.promise();
            streamContext.runOnContext(v -> {
                clusters.stream().filter(AgentStreamVerticle::hadAgent).forEach(c -> liveness.assumeDisconnected(Json.key(c)));
                assumed.complete();
            });
            return assumed.future().compose(v -> super.start());
        }).onSuccess(v -> {
            sweepTimer = vertx.setPeriodic(1000, id -> streamContext.runOnContext(x -> liveness.sweep()));
            streamContext.runOnContext(x -> agents.accepting(true));
        });
    }

    @Override
    public Future<?> stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        Promise<Void> closed = Promise.promise();
        streamContext.runOnContext(x -> {
            agents.accepting(false);
            closed.complete();
        });
        return closed.future().compose(v -> super.stop());
    }

    @Override
    protected void stopBlocking() {
        store.removeListener(delivery);
    }

    /** An agent has connected to it once: it reported its version (a manager's own restart bookkeeping does not). */
    static boolean hadAgent(com.fasterxml.jackson.databind.JsonNode cluster) {
        var agent = cluster.path("status").path("agent");
        return agent.hasNonNull("lastSeen") && !agent.path("agentVersion").asText("").isEmpty();
    }
}

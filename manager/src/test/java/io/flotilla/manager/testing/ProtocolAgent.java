package io.flotilla.manager.testing;

import io.flotilla.proto.v1.AgentMessage;
import io.flotilla.proto.v1.AgentStreamGrpcClient;
import io.flotilla.proto.v1.HeldDeployment;
import io.flotilla.proto.v1.Hello;
import io.flotilla.proto.v1.ManagerMessage;
import io.flotilla.proto.v1.RegisterRequest;
import io.flotilla.proto.v1.RegistrationGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A test peer that speaks the agent protocol over real gRPC on loopback and records what the manager
 * sends. It deploys nothing: manager-side tests use it to see exactly which messages reach an agent.
 */
public final class ProtocolAgent implements AutoCloseable {
    private final Vertx vertx;
    private final GrpcClient client;
    private final SocketAddress address;
    private final List<ManagerMessage> received = new CopyOnWriteArrayList<>();
    private GrpcClientRequest<AgentMessage, ManagerMessage> stream;
    private String credential;
    private String cluster;

    /** An agent of the manager {@code manager} names (its server URL and CA; its token is not used). */
    public ProtocolAgent(Vertx vertx, ManagerClient manager) {
        this.vertx = vertx;
        this.client = manager.grpc(vertx);
        this.address = SocketAddress.inetSocketAddress(manager.server().getPort(), manager.server().getHost());
    }

    public ProtocolAgent register(String token, String clusterName, Map<String, String> labels) throws Exception {
        var resp = client.request(address, RegistrationGrpcClient.Register)
                .compose(req -> req.send(RegisterRequest.newBuilder().setToken(token).setClusterName(clusterName)
                        .putAllLabels(labels).build()))
                .compose(r -> r.last())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        this.credential = resp.getCredential();
        this.cluster = resp.getClusterNamespace() + "/" + resp.getClusterName();
        return this;
    }

    /** Opens the stream with a hello that lists what this agent claims to hold. */
    public void connect(Map<String, String> heldDeploymentIds) throws Exception {
        received.clear();
        Hello.Builder hello = Hello.newBuilder().setAgentVersion("protocol-test");
        heldDeploymentIds.forEach((bd, id) -> hello.putHeld(bd, HeldDeployment.newBuilder().setAppliedDeploymentId(id).build()));
        stream = client.request(address, AgentStreamGrpcClient.Connect).compose(req -> {
            req.headers().set("authorization", "Bearer " + credential);
            req.headers().set("x-flotilla-cluster", cluster);
            req.write(AgentMessage.newBuilder().setHello(hello).build());
            req.response().onSuccess(resp -> resp.handler(received::add));
            return io.vertx.core.Future.succeededFuture(req);
        }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public void disconnect() {
        if (stream != null) {
            stream.cancel();
            stream = null;
        }
    }

    public void send(AgentMessage message) {
        stream.write(message);
    }

    public List<ManagerMessage> received() {
        return received;
    }

    /** Names of the BDs last upserted (in arrival order, repeated names kept). */
    public List<String> upserted() {
        return received.stream().filter(ManagerMessage::hasUpsert).map(m -> m.getUpsert().getName()).toList();
    }

    public List<String> deleted() {
        return received.stream().filter(ManagerMessage::hasDelete).map(m -> m.getDelete().getName()).toList();
    }

    @Override
    public void close() {
        disconnect();
        client.close();
    }
}

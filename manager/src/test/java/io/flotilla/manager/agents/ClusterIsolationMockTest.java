package io.flotilla.manager.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.registration.RegistrationService;
import io.flotilla.manager.testing.ManagerClient;
import io.flotilla.proto.v1.AgentMessage;
import io.flotilla.proto.v1.AgentStreamGrpcClient;
import io.flotilla.proto.v1.Hello;
import io.flotilla.proto.v1.ManagerMessage;
import io.flotilla.proto.v1.RegisterRequest;
import io.flotilla.proto.v1.RegisterResponse;
import io.flotilla.proto.v1.RegistrationGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One cluster's agent cannot become another: forged credential Secrets, re-registration under a taken name,
 * self-relabelling with reserved labels and registering into another namespace are all refused.
 */
class ClusterIsolationMockTest {
    private static final String NS = "fleet-default";
    private static final String SECRETS = "/api/v1/namespaces/" + NS + "/secrets";
    private static final String CLUSTERS = "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/clusters";

    @TempDir
    static Path dataDir;
    static Manager manager;
    static ManagerClient admin;
    static Vertx vertx;
    static GrpcClient grpc;
    static SocketAddress address;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        manager = Manager.start(ManagerConfig.defaults(dataDir, "127.0.0.1", 0))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        admin = ManagerClient.admin(manager);
        vertx = Vertx.vertx();
        grpc = admin.grpc(vertx);
        address = SocketAddress.inetSocketAddress(admin.server().getPort(), admin.server().getHost());
        HttpResponse<String> t = admin.send("POST", "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/clusterregistrationtokens",
                "{\"metadata\":{\"name\":\"shared\"},\"spec\":{\"ttl\":\"1h\"}}");
        assertThat(t.statusCode()).isEqualTo(201);
        token = Json.MAPPER.readTree(t.body()).path("status").path("token").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        grpc.close().await();
        vertx.close().await();
        manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    record Outcome(GrpcStatus status, String message, RegisterResponse response) {
    }

    static Outcome register(String cluster, Map<String, String> labels, String namespace) throws Exception {
        Promise<Outcome> p = Promise.promise();
        grpc.request(address, RegistrationGrpcClient.Register)
                .compose(req -> req.send(RegisterRequest.newBuilder().setToken(token).setClusterName(cluster)
                        .putAllLabels(labels).setNamespace(namespace).build()))
                .onSuccess(resp -> resp.last().onComplete(ar -> p.complete(new Outcome(resp.status(), resp.statusMessage(),
                        ar.succeeded() ? ar.result() : null))))
                .onFailure(p::fail);
        return p.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The first message on a new stream, or the status it ended with. */
    static Object connect(String credential, String cluster) throws Exception {
        Promise<Object> first = Promise.promise();
        grpc.request(address, AgentStreamGrpcClient.Connect).onSuccess(req -> {
            req.headers().set("authorization", "Bearer " + credential);
            req.headers().set("x-flotilla-cluster", NS + "/" + cluster);
            req.response().onSuccess(resp -> {
                resp.handler(first::tryComplete);
                resp.endHandler(v -> first.tryComplete(resp.status()));
                resp.exceptionHandler(e -> first.tryComplete(resp.status()));
            }).onFailure(first::tryFail);
            req.write(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentVersion("test")).build());
        }).onFailure(first::fail);
        Object result = first.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return result instanceof ManagerMessage m && m.hasWelcome() ? "welcome" : result;
    }

    @Test
    void credentialSecretsCannotBeReadOrForgedThroughTheApi() throws Exception {
        Outcome victim = register("victim", Map.of("env", "prod"), "");
        assertThat(victim.status()).isEqualTo(GrpcStatus.OK);
        // sha256("forged") — what an attacker would store to then connect with "flc2.fleet-default.victim.forged"
        String forgedHash = "1b5f7c0a0f25e6e9c7a8a0f3e2ad1b8fbd6bd3bcf7fd5b1d9b0a3c14b4ab3a6e";
        for (String name : new String[]{"flotilla-agent-victim", "flotilla-token-shared", "flotilla-agent-new"}) {
            String body = "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"hash\":\"" + forgedHash + "\"}}";
            HttpResponse<String> create = admin.send("POST", SECRETS, body);
            assertThat(create.statusCode()).as(name + ": " + create.body()).isEqualTo(403);
            assertThat(admin.send("PUT", SECRETS + "/" + name, body).statusCode()).as(name).isEqualTo(403);
            assertThat(admin.send("GET", SECRETS + "/" + name, null).statusCode()).as(name).isEqualTo(403);
            assertThat(admin.send("DELETE", SECRETS + "/" + name, null).statusCode()).as(name).isEqualTo(403);
        }
        assertThat(admin.send("POST", "/api/v1/namespaces/flotilla-system/secrets",
                "{\"metadata\":{\"name\":\"flotilla-user-evil\"},\"data\":{\"hash\":\"x\",\"role\":\"admin\"}}").statusCode())
                .isEqualTo(403);
        for (String list : new String[]{SECRETS, "/api/v1/secrets"}) {
            HttpResponse<String> r = admin.send("GET", list, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).as(list).doesNotContain("flotilla-agent-", "flotilla-token-", "flotilla-user-");
        }
        // the stored hash is untouched: the real credential works, the forged one does not
        assertThat(connect(victim.response().getCredential(), "victim")).isEqualTo("welcome");
        assertThat(connect("flc2." + NS + ".victim.forged", "victim")).isEqualTo(GrpcStatus.UNAUTHENTICATED);
        // an ordinary secret still works as before
        assertThat(admin.send("POST", SECRETS, "{\"metadata\":{\"name\":\"git-auth\"},\"stringData\":{\"password\":\"p\"}}")
                .statusCode()).isEqualTo(201);
    }

    @Test
    void reRegisteringATakenNameIsRefusedUntilAnAdminAllowsItOnce() throws Exception {
        Outcome first = register("taken", Map.of("env", "dev"), "");
        assertThat(first.status()).isEqualTo(GrpcStatus.OK);
        Outcome takeover = register("taken", Map.of("env", "dev"), "");
        assertThat(takeover.status()).isEqualTo(GrpcStatus.ALREADY_EXISTS);
        assertThat(takeover.message()).contains("already registered", "allow-reregistration");
        assertThat(connect(first.response().getCredential(), "taken")).as("the real agent keeps its credential").isEqualTo("welcome");

        // an admin allows one re-registration (e.g. the agent lost its state dir)
        String cluster = "{\"metadata\":{\"name\":\"taken\",\"labels\":{\"env\":\"staging\"},\"annotations\":{\""
                + RegistrationService.ALLOW_REREGISTRATION + "\":\"true\"}},\"spec\":{}}";
        assertThat(admin.send("PUT", CLUSTERS + "/taken", cluster).statusCode()).isEqualTo(200);

        Outcome again = register("taken", Map.of("env", "prod", "extra", "x"), "");
        assertThat(again.status()).isEqualTo(GrpcStatus.OK);
        assertThat(connect(again.response().getCredential(), "taken")).isEqualTo("welcome");
        assertThat(connect(first.response().getCredential(), "taken")).as("old credential revoked").isEqualTo(GrpcStatus.UNAUTHENTICATED);
        ObjectNode stored = manager.store().get(new ObjectKey(Kind.CLUSTER, NS, "taken")).orElseThrow();
        assertThat(Json.labels(stored)).as("labels stay the admin's").containsExactly(Map.entry("env", "staging"));
        assertThat(stored.path("metadata").path("annotations").has(RegistrationService.ALLOW_REREGISTRATION))
                .as("the allowance is used up").isFalse();
        assertThat(register("taken", Map.of(), "").status()).isEqualTo(GrpcStatus.ALREADY_EXISTS);
    }

    @Test
    void agentsProposeLabelsOnceAndNeverReservedOnes() throws Exception {
        Outcome reserved = register("sneaky", Map.of("flotilla.io/cluster-name", "victim"), "");
        assertThat(reserved.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        assertThat(reserved.message()).contains("reserved");
        assertThat(register("sneaky2", Map.of("agent.flotilla.io/x", "y"), "").status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        assertThat(manager.store().get(new ObjectKey(Kind.CLUSTER, NS, "sneaky"))).isEmpty();

        // a Cluster an admin created before its agent came: the admin's labels win, the agent's fill gaps
        assertThat(admin.send("POST", CLUSTERS, "{\"metadata\":{\"name\":\"pre\",\"labels\":{\"env\":\"prod\"}},\"spec\":{}}")
                .statusCode()).isEqualTo(201);
        assertThat(register("pre", Map.of("env", "dev", "zone", "a"), "").status()).isEqualTo(GrpcStatus.OK);
        assertThat(Json.labels(manager.store().get(new ObjectKey(Kind.CLUSTER, NS, "pre")).orElseThrow()))
                .containsEntry("env", "prod").containsEntry("zone", "a");
    }

    @Test
    void theRequestedNamespaceIsHonouredOrRefused() throws Exception {
        Outcome elsewhere = register("ns-test", Map.of(), "other-namespace");
        assertThat(elsewhere.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
        assertThat(elsewhere.message()).contains("fleet-default only", "other-namespace");
        assertThat(manager.store().get(new ObjectKey(Kind.CLUSTER, "other-namespace", "ns-test"))).isEmpty();
        assertThat(manager.store().get(new ObjectKey(Kind.CLUSTER, NS, "ns-test"))).isEmpty();
        Outcome own = register("ns-test", Map.of(), NS);
        assertThat(own.status()).isEqualTo(GrpcStatus.OK);
        assertThat(own.response().getClusterNamespace()).isEqualTo(NS);
    }

    @Test
    void anotherClustersCredentialIsFoundByKeyAndRefused() throws Exception {
        Outcome a = register("key-a", Map.of(), "");
        assertThat(register("key-b", Map.of(), "").status()).isEqualTo(GrpcStatus.OK);
        assertThat(connect(a.response().getCredential(), "key-b")).isEqualTo(GrpcStatus.PERMISSION_DENIED);
        assertThat(connect("flc2." + NS + ".no-such-cluster.x", "key-b")).isEqualTo(GrpcStatus.UNAUTHENTICATED);
        assertThat(connect("flc1.legacy", "key-b")).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    }
}

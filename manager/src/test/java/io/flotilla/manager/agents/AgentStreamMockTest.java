package io.flotilla.manager.agents;

import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.testing.ManagerClient;
import io.flotilla.manager.api.Conditions;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Registration and the agent stream over real gRPC on loopback. */
class AgentStreamMockTest {
    @TempDir
    static Path dataDir;
    static Manager manager;
    static Vertx vertx;
    static GrpcClient grpc;
    static SocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        manager = Manager.start(ManagerConfig.defaults(dataDir, "127.0.0.1", 0)
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx = Vertx.vertx();
        grpc = ManagerClient.admin(manager).grpc(vertx);
        address = SocketAddress.inetSocketAddress(manager.port(), "127.0.0.1");
    }

    @AfterAll
    static void stop() throws Exception {
        grpc.close().await();
        vertx.close().await();
        manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static String createToken(String name, String ttl) throws Exception {
        HttpResponse<String> resp = ManagerClient.admin(manager).send("POST",
                "/apis/flotilla.io/v1alpha1/namespaces/fleet-default/clusterregistrationtokens",
                "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"ttl\":\"" + ttl + "\"}}");
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(201);
        return Json.MAPPER.readTree(resp.body()).path("status").path("token").asText();
    }

    record Outcome(GrpcStatus status, String message, RegisterResponse response) {
    }

    static Outcome register(String token, String cluster) throws Exception {
        Promise<Outcome> p = Promise.promise();
        grpc.request(address, RegistrationGrpcClient.Register)
                .compose(req -> req.send(RegisterRequest.newBuilder().setToken(token).setClusterName(cluster)
                        .putAllLabels(Map.of("env", "dev")).build()))
                .onSuccess(resp -> resp.last().onComplete(ar -> p.complete(new Outcome(resp.status(), resp.statusMessage(),
                        ar.succeeded() ? ar.result() : null))))
                .onFailure(p::fail);
        return p.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Opens a stream and returns the first message, or the status the stream ended with. */
    static Future<Object> connect(String credential, String cluster) {
        Promise<Object> first = Promise.promise();
        grpc.request(address, AgentStreamGrpcClient.Connect).onSuccess(req -> {
            req.headers().set("authorization", "Bearer " + credential);
            req.headers().set("x-flotilla-cluster", "fleet-default/" + cluster);
            req.response().onSuccess(resp -> {
                resp.handler(m -> first.tryComplete(m));
                resp.endHandler(v -> first.tryComplete(resp.status()));
                resp.exceptionHandler(e -> first.tryComplete(resp.status()));
            }).onFailure(first::tryFail);
            req.write(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentVersion("test")).build());
        }).onFailure(first::fail);
        return first.future();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "not a token at all          | garbage                               | c-x    | UNAUTHENTICATED  | malformed registration token",
            "unknown token               | flt1.fleet-default.nosuch.AAAA       | c-x    | UNAUTHENTICATED  | does not exist",
            "right token, wrong secret   | WRONG_SECRET                          | c-x    | UNAUTHENTICATED  | is wrong",
            "invalid cluster name        | VALID                                 | Bad_C  | INVALID_ARGUMENT | clusterName"})
    void registrationRefusalsSayWhyAndCreateNothing(String what, String token, String cluster, GrpcStatus status,
                                                    String message) throws Exception {
        String valid = createToken("tok-" + Math.abs(what.hashCode()), "1h");
        String presented = switch (token) {
            case "VALID" -> valid;
            case "WRONG_SECRET" -> valid.replaceFirst("^((?:[^.]+\\.){3}[^.]+)", "$1A"); // secret part (4th) changed
            default -> token;
        };
        Outcome outcome = register(presented, cluster);
        assertThat(outcome.status()).isEqualTo(status);
        assertThat(outcome.message()).contains(message);
        assertThat(manager.store().get(new ObjectKey(Kind.CLUSTER, "fleet-default", cluster))).isEmpty();
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        String token = createToken("short", "1ms");
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            Outcome outcome = register(token, "c-expired");
            assertThat(outcome.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
            assertThat(outcome.message()).contains("expired");
        });
        assertThat(manager.store().get(new ObjectKey(Kind.CLUSTER, "fleet-default", "c-expired"))).isEmpty();
    }

    @Test
    void credentialOpensOnlyItsOwnClusterStream() throws Exception {
        String token = createToken("main", "1h");
        Outcome one = register(token, "c-one");
        Outcome two = register(token, "c-two");
        assertThat(one.status()).isEqualTo(GrpcStatus.OK);
        assertThat(two.status()).isEqualTo(GrpcStatus.OK);
        assertThat(one.response().getCredential()).startsWith("flc2.fleet-default.c-one.").isNotEqualTo(two.response().getCredential());
        assertThat(Json.labels(manager.store().get(new ObjectKey(Kind.CLUSTER, "fleet-default", "c-one")).orElseThrow()))
                .containsEntry("env", "dev");

        Object own = connect(one.response().getCredential(), "c-one").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(own).isInstanceOfSatisfying(ManagerMessage.class, m -> assertThat(m.getWelcome().getClusterName()).isEqualTo("c-one"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Conditions.get(manager.store()
                .get(new ObjectKey(Kind.CLUSTER, "fleet-default", "c-one")).orElseThrow().path("status"), "AgentConnected"))
                .isEqualTo("True"));

        Object other = connect(one.response().getCredential(), "c-two").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(other).isEqualTo(GrpcStatus.PERMISSION_DENIED);
        Object forged = connect("flc2.fleet-default.c-two.forged", "c-two").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(forged).isEqualTo(GrpcStatus.UNAUTHENTICATED);
        assertThat(Conditions.get(manager.store().get(new ObjectKey(Kind.CLUSTER, "fleet-default", "c-two"))
                .orElseThrow().path("status"), "AgentConnected")).isNull();
        // each refusal is counted by its reason on /metrics
        String metrics = ManagerClient.admin(manager).send("GET", "/metrics", null).body();
        assertThat(metrics).contains("flotilla_agent_streams_refused_total{reason=\"permission_denied\"} 1.0")
                .contains("flotilla_agent_streams_refused_total{reason=\"unauthenticated\"} 1.0")
                .contains("flotilla_agent_streams_refused_total{reason=\"invalid\"} 0.0")
                .containsPattern("(?m)^flotilla_agent_streams_opened_total [1-9]");
    }
}

package io.flotilla.e2e;

import io.flotilla.agent.connection.ManagerConnection;
import io.flotilla.cli.FlotillaCli;
import io.flotilla.e2e.support.RestClient;
import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.security.ClientConfig;
import io.flotilla.proto.v1.RegisterResponse;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS end to end with two managers, each with its own generated CA: an agent pins the CA from its registration token
 * with no other setting and is refused, with a clear message, by a manager that is not the token's; the CLI (REST and
 * the gRPC status stream) trusts the CA of its client config and refuses another.
 */
class TlsEndToEndIT {
    private static final String TOKENS = "/apis/flotilla.io/v1alpha1/namespaces/fleet-default/clusterregistrationtokens";

    @TempDir
    Path dir;
    Manager a;
    Manager b;
    Vertx vertx;

    @BeforeEach
    void start() throws Exception {
        a = Manager.start(ManagerConfig.defaults(dir.resolve("a"), "127.0.0.1", 0)).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        b = Manager.start(ManagerConfig.defaults(dir.resolve("b"), "127.0.0.1", 0)).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await();
        a.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        b.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String token(Manager m, String name) throws Exception {
        RestClient.Reply r = RestClient.of(m.adminConfigFile()).call("POST", TOKENS, "{\"metadata\":{\"name\":\"" + name + "\"}}");
        assertThat(r.code()).isEqualTo(201);
        return r.body().path("status").path("token").asText();
    }

    private static URI url(Manager m) throws Exception {
        return URI.create(ClientConfig.load(m.adminConfigFile()).server());
    }

    @Test
    void anAgentPinsTheCaOfItsTokenAndRefusesAnyOtherManager() throws Exception {
        String tokenA = token(a, "for-a");
        assertThat(url(a).getScheme()).isEqualTo("https");
        RegisterResponse ok = ManagerConnection.register(vertx, url(a), tokenA, "c1", Map.of("env", "dev"))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(ok.getCredential()).startsWith("flc2.fleet-default.c1.");

        // B's token carries B's pin: presented to A (say, DNS or a proxy sends the agent to the wrong manager)
        String tokenB = token(b, "for-b");
        assertThatThrownBy(() -> ManagerConnection.register(vertx, url(a), tokenB, "c2", Map.of())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ManagerConnection.RegistrationRefused.class)
                .hasMessageContaining("does not lead to the CA the registration token pins")
                .hasMessageContaining("not the manager that issued the token");
    }

    @Test
    void theCliTrustsTheCaOfItsConfigForRestAndTheStatusStream() throws Exception {
        Path configA = a.adminConfigFile();
        Run get = cli("get", "gitrepos", "--config", configA.toString());
        assertThat(get.code()).as(get.err()).isZero();
        Run status = cli("status", "--config", configA.toString());
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).contains("GITREPO");

        // A's server and token with B's CA: a man in the middle, or a stale config
        ClientConfig mixed = ClientConfig.of(ClientConfig.load(configA).server(), ClientConfig.load(configA).token(),
                ClientConfig.load(b.adminConfigFile()).caPem());
        Path wrong = dir.resolve("wrong-ca.conf");
        mixed.save(wrong);
        Run refused = cli("get", "gitrepos", "--config", wrong.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("is not signed by the CA in " + wrong).doesNotContain("\tat ");
        Run refusedStatus = cli("status", "--config", wrong.toString());
        assertThat(refusedStatus.code()).isEqualTo(1);
        assertThat(refusedStatus.err()).contains("is not signed by the CA in " + wrong);

        // no token at all
        ClientConfig.of(mixed.server(), null, ClientConfig.load(configA).caPem()).save(dir.resolve("no-token.conf"));
        Run anonymous = cli("get", "gitrepos", "--config", dir.resolve("no-token.conf").toString());
        assertThat(anonymous.code()).isEqualTo(1);
        assertThat(anonymous.err()).contains("wants a token");
    }

    record Run(int code, String out, String err) {
    }

    private static synchronized Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = FlotillaCli.commandLine().execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

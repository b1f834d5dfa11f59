package io.flotilla.manager.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.security.policy.CredentialSecrets;
import io.flotilla.manager.testing.ManagerClient;
import io.flotilla.proto.v1.StatusFilter;
import io.flotilla.proto.v1.StatusServiceGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication and authorisation of REST, SSE and the gRPC StatusService on a real manager. */
class AccessControlMockTest {
    private static final String GITREPOS = "/apis/flotilla.io/v1alpha1/namespaces/fleet-default/gitrepos";
    private static final String SECRETS = "/api/v1/namespaces/fleet-default/secrets";

    @TempDir
    static Path dataDir;
    static Manager manager;
    static ManagerClient admin;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        manager = Manager.start(ManagerConfig.defaults(dataDir, "127.0.0.1", 0))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        admin = ManagerClient.admin(manager);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await();
        manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theBootstrapAdminConfigIsPrivateAndWorks() throws Exception {
        Path conf = dataDir.resolve("admin.conf");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).isEqualTo("rw-------");
        assertThat(admin.token()).startsWith("flu1.admin.");
        HttpResponse<String> who = admin.send("GET", "/auth/v1/whoami", null);
        assertThat(who.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(who.body()).path("role").asText()).isEqualTo("admin");
        // hashed at rest: the token's secret is nowhere in the stored object
        JsonNode stored = manager.store().get(new ObjectKey(Kind.SECRET, CredentialSecrets.SYSTEM_NAMESPACE,
                "flotilla-user-admin")).orElseThrow();
        String secret = admin.token().substring(admin.token().lastIndexOf('.') + 1);
        assertThat(stored.toString()).doesNotContain(secret).contains("\"hash\"");
    }

    @Test
    void withoutOrWithABadTokenEverythingButHealthIsUnauthorized() throws Exception {
        ManagerClient anonymous = admin.withToken(null);
        for (String path : new String[]{GITREPOS, SECRETS, "/status/watch?kind=GitRepo", "/auth/v1/usertokens", "/nowhere"}) {
            HttpResponse<String> r = anonymous.send("GET", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("www-authenticate")).as(path).hasValue("Bearer realm=\"flotilla\"");
            assertThat(Json.MAPPER.readTree(r.body()).path("reason").asText()).isEqualTo("Unauthorized");
        }
        assertThat(anonymous.send("POST", GITREPOS, "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"repo\":\"https://h/r\"}}")
                .statusCode()).isEqualTo(401);
        assertThat(anonymous.send("GET", "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(anonymous.send("GET", "/readyz", null).statusCode()).isEqualTo(200);
        for (String bad : new String[]{"nonsense", "flu1.admin.wrong-secret", "flu1.nobody.x", "flu1."}) {
            HttpResponse<String> r = admin.withToken(bad).send("GET", GITREPOS, null);
            assertThat(r.statusCode()).as(bad).isEqualTo(401);
            assertThat(r.body()).as("the presented token is never echoed").doesNotContain("wrong-secret");
        }
    }

    @Test
    void viewerReadsButNeverWritesOrSeesSecrets() throws Exception {
        HttpResponse<String> created = admin.send("POST", "/auth/v1/usertokens", "{\"name\":\"dash\",\"role\":\"viewer\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        ManagerClient viewer = admin.withToken(Json.MAPPER.readTree(created.body()).path("token").asText());
        assertThat(admin.send("POST", GITREPOS, "{\"metadata\":{\"name\":\"seen\"},\"spec\":{\"repo\":\"https://h/r\"}}")
                .statusCode()).isEqualTo(201);
        assertThat(admin.send("POST", SECRETS, "{\"metadata\":{\"name\":\"git-auth\"},\"stringData\":{\"password\":\"p\"}}")
                .statusCode()).isEqualTo(201);

        assertThat(viewer.send("GET", GITREPOS, null).statusCode()).isEqualTo(200);
        assertThat(viewer.send("GET", GITREPOS + "/seen", null).statusCode()).isEqualTo(200);
        assertThat(viewer.send("GET", "/auth/v1/whoami", null).body()).contains("\"viewer\"");
        HttpResponse<String> write = viewer.send("POST", GITREPOS, "{\"metadata\":{\"name\":\"no\"},\"spec\":{\"repo\":\"https://h/r\"}}");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(write.body()).path("message").asText()).contains("viewer");
        assertThat(viewer.send("DELETE", GITREPOS + "/seen", null).statusCode()).isEqualTo(403);
        assertThat(viewer.send("GET", SECRETS, null).statusCode()).isEqualTo(403);
        assertThat(viewer.send("GET", SECRETS + "/git-auth", null).statusCode()).isEqualTo(403);
        assertThat(viewer.send("GET", "/api/v1/secrets", null).statusCode()).isEqualTo(403);
        assertThat(viewer.send("GET", "/auth/v1/usertokens", null).statusCode()).isEqualTo(403);
        assertThat(viewer.send("POST", "/auth/v1/usertokens", "{\"name\":\"escalate\",\"role\":\"admin\"}").statusCode())
                .isEqualTo(403);
        assertThat(manager.store().get(new ObjectKey(Kind.GIT_REPO, "fleet-default", "no"))).isEmpty();
        // dot segments are judged as the router resolves them, not as written
        assertThat(viewer.send("GET", "/api/v1/namespaces/fleet-default/configmaps/../secrets", null).statusCode()).isEqualTo(403);
        assertThat(viewer.send("GET", "/auth/v1/whoami/../usertokens", null).statusCode()).isEqualTo(403);
    }

    @Test
    void theDashboardPageIsOpenButNothingBehindIt() throws Exception {
        ManagerClient anonymous = admin.withToken(null);
        HttpResponse<String> page = anonymous.send("GET", "/ui/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy").orElse("")).startsWith("default-src 'none'");
        assertThat(anonymous.send("GET", "/ui/app.js", null).headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(anonymous.send("GET", "/ui", null).statusCode()).isEqualTo(302);
        assertThat(anonymous.send("GET", "/ui/nothing.js", null).statusCode()).isEqualTo(404);
        for (String sneaky : new String[]{"/ui/.." + GITREPOS, "/ui/%2e%2e" + GITREPOS, "/ui/../status/watch?kind=GitRepo"}) {
            assertThat(anonymous.send("GET", sneaky, null).statusCode()).as(sneaky).isEqualTo(401);
        }
    }

    @Test
    void revokedTokensAreRefusedAtOnce() throws Exception {
        HttpResponse<String> created = admin.send("POST", "/auth/v1/usertokens", "{\"name\":\"ci\",\"role\":\"admin\",\"ttl\":\"1h\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = Json.MAPPER.readTree(created.body());
        assertThat(body.path("expiresAt").asText()).isNotEmpty();
        ManagerClient ci = admin.withToken(body.path("token").asText());
        assertThat(ci.send("GET", GITREPOS, null).statusCode()).isEqualTo(200);
        assertThat(admin.send("GET", "/auth/v1/usertokens", null).body()).contains("\"ci\"").doesNotContain("hash");
        assertThat(admin.send("POST", "/auth/v1/usertokens", "{\"name\":\"ci\"}").statusCode()).isEqualTo(409);
        assertThat(admin.send("DELETE", "/auth/v1/usertokens/ci", null).statusCode()).isEqualTo(200);
        assertThat(ci.send("GET", GITREPOS, null).statusCode()).isEqualTo(401);
        assertThat(admin.send("DELETE", "/auth/v1/usertokens/ci", null).statusCode()).isEqualTo(404);
        assertThat(admin.send("POST", "/auth/v1/usertokens", "{\"name\":\"Bad_Name\"}").statusCode()).isEqualTo(422);
        assertThat(admin.send("POST", "/auth/v1/usertokens", "{\"name\":\"r\",\"role\":\"root\"}").statusCode()).isEqualTo(422);
    }

    @Test
    void statusServiceNeedsAToken() throws Exception {
        assertThat(watch(null)).isEqualTo(GrpcStatus.UNAUTHENTICATED);
        assertThat(watch("flu1.admin.nope")).isEqualTo(GrpcStatus.UNAUTHENTICATED);
        assertThat(watch(admin.token())).isEqualTo(GrpcStatus.OK);
        HttpResponse<String> viewer = admin.send("POST", "/auth/v1/usertokens", "{\"name\":\"watcher\",\"role\":\"viewer\"}");
        assertThat(watch(Json.MAPPER.readTree(viewer.body()).path("token").asText())).isEqualTo(GrpcStatus.OK);
    }

    /** The status of a StatusService.List call with this token. */
    private GrpcStatus watch(String token) throws Exception {
        GrpcClient grpc = admin.grpc(vertx);
        CompletableFuture<GrpcStatus> done = new CompletableFuture<>();
        grpc.request(SocketAddress.inetSocketAddress(admin.server().getPort(), admin.server().getHost()), StatusServiceGrpcClient.List)
                .compose(req -> {
                    if (token != null) {
                        req.headers().set("authorization", "Bearer " + token);
                    }
                    return req.send(StatusFilter.newBuilder().addKinds("GitRepo").build());
                })
                .compose(resp -> resp.last().transform(ar -> io.vertx.core.Future.succeededFuture(resp.status())))
                .onComplete(ar -> done.complete(ar.succeeded() ? ar.result() : GrpcStatus.UNKNOWN));
        try {
            return done.get(10, TimeUnit.SECONDS);
        } finally {
            grpc.close();
        }
    }
}

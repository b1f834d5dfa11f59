package io.flotilla.manager.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiError;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Validation;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.security.policy.Identity;
import io.flotilla.manager.security.policy.Role;
import io.flotilla.manager.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * Everything the manager needs for access control, in one place for its wiring: TLS material, user tokens and the
 * authenticator over them, the request guard, the user-token API ({@code /auth/v1/usertokens},
 * {@code /auth/v1/whoami}) and the admin client config bootstrapped into the data dir.
 */
public final class ManagerSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerSecurity.class);

    private final Path dataDir;
    private final TlsMaterial tls;
    private final UserTokens tokens;
    private final Blocking blocking;
    private final Authenticator authenticator;
    private volatile Admission admission;
    private final String adminToken;

    private ManagerSecurity(Path dataDir, TlsMaterial tls, UserTokens tokens, Blocking blocking, Authenticator authenticator,
                            String adminToken) {
        this.dataDir = dataDir;
        this.tls = tls;
        this.tokens = tokens;
        this.blocking = blocking;
        this.authenticator = authenticator;
        this.admission = Admission.userTokens(authenticator);
        this.adminToken = adminToken;
    }

    /**
     * Prepares TLS material and the admin credential. Blocking; call with the store open (the data dir is then
     * this manager's alone). Without {@code <data-dir>/admin.conf} a fresh admin token is issued (the previous
     * bootstrap token, if any, is revoked): whoever may write the data dir owns the manager anyway.
     */
    public static ManagerSecurity prepare(TlsSettings settings, Path dataDir, String listenHost, Store store, Blocking blocking,
                                          Vertx vertx) {
        return prepare(settings, dataDir, listenHost, store, blocking, vertx, UserTokens.BOOTSTRAP_ADMIN);
    }

    /**
     * @param bootstrapAdmin the name of the admin token this manager bootstraps: one per replica when replicas share a
     *                       store (Kubernetes mode), so that a replica's start never revokes another one's token
     */
    public static ManagerSecurity prepare(TlsSettings settings, Path dataDir, String listenHost, Store store, Blocking blocking,
                                          Vertx vertx, String bootstrapAdmin) {
        return prepare(settings, dataDir, listenHost, store, blocking, vertx, bootstrapAdmin, TlsMaterial.filesIn(dataDir));
    }

    /** @param caKeeper where a generated CA is kept: the data dir, or (replicas sharing a store) the store */
    public static ManagerSecurity prepare(TlsSettings settings, Path dataDir, String listenHost, Store store, Blocking blocking,
                                          Vertx vertx, String bootstrapAdmin, TlsMaterial.CaKeeper caKeeper) {
        if (settings.plaintext() && !isLoopback(listenHost)) {
            LOG.warn("Serving WITHOUT TLS on {} (--plaintext): tokens and credentials cross the network in clear text",
                    listenHost);
        }
        TlsMaterial tls = settings.plaintext() ? null : TlsMaterial.prepare(settings, dataDir, listenHost, vertx, caKeeper);
        UserTokens tokens = new UserTokens(store, Clock.systemUTC());
        Path adminFile = dataDir.resolve(ClientConfig.ADMIN_FILE);
        String adminToken = null;
        if (Files.exists(adminFile)) {
            try {
                adminToken = ClientConfig.load(adminFile).token();
            } catch (IOException e) {
                LOG.warn("{}; issuing a new admin token", e.getMessage());
            }
        }
        if (adminToken == null) {
            if (tokens.exists(bootstrapAdmin)) {
                tokens.revoke(bootstrapAdmin);
            }
            adminToken = tokens.create(bootstrapAdmin, Role.ADMIN, null).token();
            LOG.info("Bootstrapped admin token \"{}\" into {}", bootstrapAdmin, adminFile.toAbsolutePath());
        }
        return new ManagerSecurity(dataDir, tls, tokens, blocking, new StoreAuthenticator(tokens, blocking), adminToken);
    }

    public static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /** How REST, SSE and the Status service admit callers: manager user tokens, and Kubernetes ones once enabled. */
    public Admission admission() {
        return admission;
    }

    /**
     * Kubernetes mode: bearer tokens that are not manager user tokens are Kubernetes tokens, authenticated by
     * TokenReview and authorised by SubjectAccessReview against the upstream API server, as aggregated API servers do.
     */
    public void acceptKubernetesTokens(io.fabric8.kubernetes.client.KubernetesClient client, io.flotilla.manager.core.Blocking pool) {
        this.admission = new KubernetesAdmission(client, pool, Admission.userTokens(authenticator), java.time.Clock.systemUTC());
    }

    /** {@code sha256:<hex>} of the CA registration tokens pin, or null when serving cleartext. */
    public String caPin() {
        return tls == null ? null : tls.caPin();
    }

    public boolean tls() {
        return tls != null;
    }

    public String caPem() {
        return tls == null ? null : tls.caPem();
    }

    public HttpServerOptions serverOptions(HttpServerOptions options) {
        return tls == null ? options : tls.apply(options);
    }

    /** The guard every REST/SSE request passes first. */
    public AccessHandler accessHandler(BiConsumer<RoutingContext, ApiError> refuse) {
        return new AccessHandler((token, request) -> admission.admit(token, request), refuse);
    }

    /** The URL clients on this machine reach the manager at. */
    public String serverUrl(String host, int port) {
        String h = host == null || host.isBlank() || host.equals("0.0.0.0") ? "127.0.0.1"
                : host.equals("::") || host.equals("[::]") ? "[::1]"
                : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return (tls == null ? "http" : "https") + "://" + h + ":" + port;
    }

    /** Writes (or refreshes the server and CA of) {@code <data-dir>/admin.conf}. Blocking. */
    public Path writeAdminConfig(String host, int port) throws IOException {
        Path file = dataDir.resolve(ClientConfig.ADMIN_FILE);
        ClientConfig.of(serverUrl(host, port), adminToken, caPem()).save(file);
        return file;
    }

    public Path adminConfigFile() {
        return dataDir.resolve(ClientConfig.ADMIN_FILE);
    }

    // ---- /auth/v1 -----------------------------------------------------------------------------------------

    /** Installs {@code /auth/v1/whoami} and {@code /auth/v1/usertokens[/NAME]} (admin only, by {@link AccessHandler}). */
    public void routes(Router router, BiConsumer<RoutingContext, ApiError> refuse) {
        router.get("/auth/v1/whoami").handler(ctx -> {
            Identity who = ctx.get(AccessHandler.IDENTITY);
            reply(ctx, 200, Json.object().put("name", who.name())
                    .put("role", who.role() == null ? "kubernetes-rbac" : who.role().label()));
        });
        router.get("/auth/v1/usertokens").handler(ctx -> run(ctx, refuse, () -> {
            ObjectNode list = Json.object();
            ArrayNode items = list.putArray("items");
            tokens.list().forEach(t -> items.add(info(t)));
            return list;
        }, 200));
        router.post("/auth/v1/usertokens").handler(ctx -> {
            ObjectNode body;
            String name;
            Role role;
            Duration ttl;
            try {
                JsonNode node = Json.MAPPER.readTree(ctx.body() == null || ctx.body().asString() == null ? "" : ctx.body().asString());
                if (!(node instanceof ObjectNode o)) {
                    throw ApiError.badRequest("request body must be a JSON object {\"name\":…, \"role\":\"admin|viewer\", \"ttl\":…}");
                }
                body = o;
                name = Json.text(body, "name");
                if (name == null) {
                    throw ApiError.invalid("name", "required");
                }
                try {
                    role = Role.parse(Json.text(body, "role") == null ? "viewer" : Json.text(body, "role"));
                } catch (IllegalArgumentException e) {
                    throw ApiError.invalid("role", e.getMessage());
                }
                String ttlText = Json.text(body, "ttl");
                ttl = ttlText == null || ttlText.isBlank() || ttlText.equals("0") ? null : Validation.checkTtl("ttl", ttlText);
                Validation.checkLabel("name", name);
            } catch (ApiError e) {
                refuse.accept(ctx, e);
                return;
            } catch (IOException e) {
                refuse.accept(ctx, ApiError.badRequest("request body is not valid JSON: " + e.getMessage()));
                return;
            }
            run(ctx, refuse, () -> {
                UserTokens.Issued issued = tokens.create(name, role, ttl);
                return info(issued.info()).put("token", issued.token());
            }, 201);
        });
        router.delete("/auth/v1/usertokens/:name").handler(ctx -> run(ctx, refuse, () -> {
            String name = ctx.pathParam("name");
            if (!tokens.revoke(name)) {
                throw ApiError.notFound("user token \"" + name + "\" does not exist");
            }
            return Json.object().put("name", name).put("revoked", true);
        }, 200));
    }

    private void run(RoutingContext ctx, BiConsumer<RoutingContext, ApiError> refuse, Callable<ObjectNode> work, int code) {
        Future<ObjectNode> result = blocking.run(work);
        result.onSuccess(body -> reply(ctx, code, body)).onFailure(e -> refuse.accept(ctx, e instanceof ApiError api ? api
                : new ApiError(500, "InternalError", null, "internal error; see the manager log")));
    }

    private static ObjectNode info(UserTokens.Info t) {
        ObjectNode o = Json.object().put("name", t.name()).put("role", t.role().label());
        if (t.createdAt() != null) {
            o.put("createdAt", t.createdAt());
        }
        if (t.expiresAt() != null) {
            o.put("expiresAt", t.expiresAt());
        }
        return o;
    }

    private static void reply(RoutingContext ctx, int code, ObjectNode body) {
        ctx.response().setStatusCode(code).putHeader("content-type", "application/json").end(body.toString());
    }
}

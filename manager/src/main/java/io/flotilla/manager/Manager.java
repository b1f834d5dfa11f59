package io.flotilla.manager;

import io.flotilla.manager.agents.AgentStreamServer;
import io.flotilla.manager.agents.ClusterLiveness;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.core.StartupChecks;
import io.flotilla.manager.deploy.AgentDelivery;
import io.flotilla.manager.deploy.DeploymentController;
import io.flotilla.manager.deploy.TargetingObserver;
import io.flotilla.manager.statusapi.StatusController;
import io.flotilla.manager.statusapi.StatusGrpcService;
import io.flotilla.manager.statusapi.StatusSse;
import io.flotilla.manager.statusapi.StatusHub;
import io.flotilla.manager.git.JGitFetcher;
import io.flotilla.manager.gitops.GitRepoController;
import io.flotilla.bundle.reader.BundleScanner;
import io.flotilla.manager.registration.RegistrationService;
import io.flotilla.manager.rest.RestApi;
import io.flotilla.manager.security.ManagerSecurity;
import io.flotilla.manager.store.MvStoreStore;
import io.flotilla.manager.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.GrpcServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One manager process: the embedded store, gRPC (agents, tooling) and REST on one port. Wired by hand.
 */
public final class Manager {
    private static final Logger LOG = LoggerFactory.getLogger(Manager.class);

    private final ManagerConfig config;
    private final Vertx vertx;
    private final Store store;
    private final Blocking storePool;
    private final AgentStreamServer agents;
    private final ClusterLiveness liveness;
    private final DeploymentController deployments;
    private final StatusHub statusHub;
    private final StatusController status;
    private final GitRepoController gitRepos;
    private final Blocking gitPool;
    private final AtomicBoolean ready = new AtomicBoolean();
    private HttpServer http;
    private long sweepTimer = -1;

    private final ManagerSecurity security;
    private AgentDelivery delivery;

    private Manager(ManagerConfig config, Vertx vertx, Store store, Blocking storePool, ManagerSecurity security) {
        this.config = config;
        this.vertx = vertx;
        this.store = store;
        this.storePool = storePool;
        this.security = security;
        Blocking blocking = storePool;
        Clock clock = Clock.systemUTC();
        RegistrationService registration = new RegistrationService(store, clock, security.caPin());
        this.statusHub = new StatusHub();
        this.status = new StatusController(store, statusHub, clock);
        this.liveness = new ClusterLiveness(blocking, store, clock, config.offlineTimeout(), status::clusterOnline);
        this.agents = new AgentStreamServer(blocking, registration, liveness, config.heartbeatInterval());
        this.restApi = new RestApi(store, blocking, registration, ready::get, security.accessHandler(RestApi::fail));
        this.deployments = new DeploymentController(store, clock, new TargetingObserver() {
            @Override
            public void bundleTargets(String namespace, String bundle, java.util.Set<io.flotilla.manager.api.ObjectKey> clusters) {
                status.bundleTargets(namespace, bundle, clusters);
            }

            @Override
            public void bundleError(String namespace, String bundle, String gitRepo, String error) {
                status.bundleError(namespace, bundle, gitRepo, error);
            }
        });
        AgentDelivery delivery = new AgentDelivery(store, blocking, vertx.getOrCreateContext(), agents, status::report);
        this.delivery = delivery;
        agents.setHandler(delivery);
        store.addListener(delivery);
        this.gitPool = new Blocking(vertx, "flotilla-git", 2);
        this.gitRepos = new GitRepoController(vertx, vertx.getOrCreateContext(), store, gitPool,
                JGitFetcher.create(config.dataDir().resolve("git-cache")), BundleScanner.create(), clock);
        store.addListener(gitRepos);
    }

    private final RestApi restApi;

    /**
     * Opens the store under {@code config.dataDir()} and starts serving. On failure everything started so far is
     * stopped (store closed, Vert.x closed) before the future fails with a message that names the cause.
     */
    public static Future<Manager> start(ManagerConfig config) {
        Vertx vertx = Vertx.vertx();
        java.util.concurrent.atomic.AtomicReference<Store> opened = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Manager> built = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Manager> result = new CompletableFuture<>();
        vertx.executeBlocking(() -> {
            StartupChecks.dataDir(config.dataDir());
            opened.set(MvStoreStore.open(config.dataDir()));
            return opened.get();
        }).compose(store -> {
            Blocking storePool = new Blocking(vertx, "flotilla-store", 4);
            return vertx.executeBlocking(() -> ManagerSecurity.prepare(config.tls(), config.dataDir(), config.host(), store,
                            storePool, vertx))
                    .onFailure(e -> storePool.close())
                    .map(security -> {
                        built.set(new Manager(config, vertx, store, storePool, security));
                        return built.get();
                    });
        }).compose(manager -> {
            return vertx.executeBlocking(() -> {
                manager.status.start();
                manager.deployments.start();
                return manager;
            }).compose(m -> m.listen().map(m));
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
                return;
            }
            // Completed from a plain thread: a future bound to this (closing) event loop would never be delivered.
            StartupChecks.abandon(vertx, built.get() == null ? null : built.get()::stop, opened.get())
                    .whenComplete((v, ignored) -> result.completeExceptionally(ar.cause()));
        });
        return Future.fromCompletionStage(result);
    }

    private Future<Void> listen() {
        store.list(Kind.CLUSTER, null).forEach(c -> liveness.assumeDisconnected(Json.key(c)));
        GrpcServer grpc = GrpcServer.server(vertx);
        agents.bind(grpc);
        new StatusGrpcService(statusHub, security.authenticator()).bind(grpc);
        StatusSse sse = new StatusSse(statusHub);
        Router router = restApi.router(vertx, r -> {
            r.get("/status/watch").handler(sse::handle);
            r.post("/webhooks/git").handler(this::webhook);
            security.routes(r, RestApi::fail);
        });
        http = vertx.createHttpServer(security.serverOptions(new HttpServerOptions().setHost(config.host()).setPort(config.port())));
        http.requestHandler(req -> {
            String type = req.getHeader("content-type");
            if (type != null && type.startsWith("application/grpc")) {
                grpc.handle(req);
            } else {
                router.handle(req);
            }
        });
        return http.listen().recover(e -> Future.failedFuture(StartupChecks.listenFailure(config.host(), config.port(), e)))
                .compose(server -> vertx.executeBlocking(() -> security.writeAdminConfig(config.host(),
                server.actualPort())).map(server)).map(server -> {
            // Pollers and sweeps only once the port is ours: a failed start leaves nothing running.
            sweepTimer = vertx.setPeriodic(1000, id -> liveness.sweep());
            gitRepos.start(store.list(Kind.GIT_REPO, null));
            ready.set(true);
            LOG.info("Flotilla manager listening on {}:{} (gRPC and REST), data in {}", config.host(), server.actualPort(),
                    config.dataDir().toAbsolutePath());
            return null;
        });
    }

    /** {@code POST /webhooks/git}: a verified push syncs the GitRepos that follow that repository and branch. */
    private void webhook(io.vertx.ext.web.RoutingContext ctx) {
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        ctx.request().headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        gitRepos.webhook(headers, body).onComplete(ar -> {
            int code = ar.succeeded() ? ar.result().status() : 500;
            String message = ar.succeeded() ? ar.result().message() : "internal error; see the manager log";
            ctx.response().setStatusCode(code).putHeader("content-type", "application/json")
                    .end(Json.object().put("message", message).toString());
        });
    }

    /** {@code <data-dir>/admin.conf}: server URL, admin token and CA for clients on this machine. */
    public java.nio.file.Path adminConfigFile() {
        return security.adminConfigFile();
    }

    public int port() {
        return http.actualPort();
    }

    public Store store() {
        return store;
    }

    public Vertx vertx() {
        return vertx;
    }

    public StatusHub statusHub() {
        return statusHub;
    }

    public StatusController status() {
        return status;
    }

    public DeploymentController deployments() {
        return deployments;
    }

    /** BD delivery to agents and their reports (e.g. {@link AgentDelivery#staleReports()}). */
    public AgentDelivery delivery() {
        return delivery;
    }

    public AgentStreamServer agents() {
        return agents;
    }

    /** Stops serving, closes the store and Vert.x. */
    public Future<Void> stop() {
        ready.set(false);
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        agents.closeAll();
        deployments.close();
        status.close();
        // Idle keep-alive connections would otherwise hold a graceful shutdown for 30 s.
        Future<Void> closed = http == null ? Future.succeededFuture() : http.shutdown(1, TimeUnit.SECONDS);
        // The last step closes Vert.x itself, so its completion must not hop back onto a (closed) event loop.
        CompletableFuture<Void> done = new CompletableFuture<>();
        closed.eventually(() -> vertx.executeBlocking(() -> {
                    gitPool.close();
                    storePool.close();
                    store.close();
                    return null;
                }))
                .onComplete(ar -> vertx.close().onComplete(v -> done.complete(null)));
        return Future.fromCompletionStage(done);
    }
}

package io.flotilla.manager;

import io.flotilla.manager.agents.AgentStreamServer;
import io.flotilla.manager.agents.ClusterLiveness;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.core.StartupChecks;
import io.flotilla.manager.deploy.AgentDelivery;
import io.flotilla.manager.deploy.BdStatusPersister;
import java.time.Duration;
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
import io.flotilla.manager.registration.RegistrationTokenController;
import io.flotilla.manager.verticles.RegistrationTokenVerticle;
import io.flotilla.manager.rest.RestApi;
import io.flotilla.manager.security.ManagerSecurity;
import io.flotilla.manager.security.SecretCaKeeper;
import io.flotilla.manager.security.TlsMaterial;
import io.flotilla.manager.store.MvStoreStore;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.kube.BundledCrds;
import io.flotilla.manager.store.kube.KubeClients;
import io.flotilla.manager.store.kube.KubernetesStore;
import io.flotilla.manager.leader.LeaseLeadership;
import io.flotilla.manager.verticles.AgentStreamVerticle;
import io.flotilla.manager.verticles.DeploymentVerticle;
import io.flotilla.manager.verticles.GitVerticle;
import io.flotilla.manager.verticles.StatusVerticle;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * One manager process: its store (embedded, or the upstream cluster in Kubernetes mode), gRPC (agents, tooling) and
 * REST on one port, and the controllers as verticles, deployed while this process leads. Wired by hand.
 */
public final class Manager {
    private static final Logger LOG = LoggerFactory.getLogger(Manager.class);

    private final ManagerConfig config;
    private final Vertx vertx;
    private final Store store;
    private final Blocking storePool;
    private final AgentStreamServer agents;
    private final RegistrationService registration;
    private final ClusterLiveness liveness;
    private final DeploymentController deployments;
    private final StatusHub statusHub;
    private final StatusController status;
    private final GitRepoController gitRepos;
    private final Blocking gitPool;
    private final AtomicBoolean ready = new AtomicBoolean();
    private HttpServer http;
    private io.vertx.core.Context serverContext;
    private static final int KUBE_WRITE_CONCURRENCY = 64;

    private final ManagerSecurity security;

    private final ManagerObservability observability;

    private Manager(ManagerConfig config, Vertx vertx, Store store, Blocking storePool, ManagerSecurity security,
                    KubernetesClient kubeClient, io.flotilla.manager.metrics.ManagerMetrics metrics) {
        this.config = config;
        this.vertx = vertx;
        this.observability = new ManagerObservability(metrics, store, kubeClient, storePool, Clock.systemUTC());
        store = new io.flotilla.manager.metrics.TimedStore(store, observability.metrics());
        this.store = store;
        this.storePool = storePool;
        this.security = security;
        Blocking blocking = storePool;
        Clock clock = Clock.systemUTC();
        this.registration = new RegistrationService(store, clock, security.caPin());
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

            @Override
            public void bundleRollout(String namespace, String bundle, java.util.Map<String, Object> figures) {
                status.bundleRollout(namespace, bundle, figures);
            }
        });
        this.bdStatus = new BdStatusPersister(store, blocking,
                config.kubernetes() == null ? Duration.ZERO : KUBE_BD_STATUS_INTERVAL, KUBE_WRITE_CONCURRENCY);
        this.delivery = new AgentDelivery(store, blocking, vertx.getOrCreateContext(), agents, status::report, bdStatus);
        agents.setHandler(delivery);
        this.gitPool = new Blocking(vertx, "flotilla-git", 2);
        this.gitRepos = new GitRepoController(vertx, vertx.getOrCreateContext(), store, gitPool,
                JGitFetcher.create(config.dataDir().resolve("git-cache")), BundleScanner.create(), clock, config.gitAccess());
        observability.wire(agents, liveness, gitRepos, deployments, status, delivery);
    }

    private final RestApi restApi;
    private final AgentDelivery delivery;
    private final BdStatusPersister bdStatus;
    /** Kubernetes mode: at most one BD status write per BD per second (the status stream is immediate). */
    private static final Duration KUBE_BD_STATUS_INTERVAL = Duration.ofSeconds(1);
    /** The controllers' verticles while this manager leads, in deployment order. */
    private final List<String> deployed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean leading;
    private volatile boolean stopping;
    private KubernetesClient kubeClient;
    private Vertx kubeVertx;
    private LeaseLeadership leadership;
    private Runnable leadershipLost = () -> { };

    /**
     * Opens the store (the embedded one under {@code config.dataDir()}, or the upstream cluster's custom resources
     * in Kubernetes mode), starts serving, and deploys the controllers at once or, with leader election, when this
     * replica acquires the Lease. On failure everything started so far is stopped (store closed, Vert.x closed)
     * before the future fails with a message that names the cause.
     */
    public static Future<Manager> start(ManagerConfig config) {
        io.flotilla.manager.metrics.ManagerMetrics metrics = new io.flotilla.manager.metrics.ManagerMetrics();
        Vertx vertx = ManagerObservability.vertx(metrics);
        KubernetesClient[] client = new KubernetesClient[1];
        // Its own Vert.x: the manager's blocking work never starves the client's event loops and workers.
        Vertx[] kubeVertx = {config.kubernetes() == null ? null
                : Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8))};
        java.util.concurrent.atomic.AtomicReference<Store> opened = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Manager> built = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Manager> result = new CompletableFuture<>();
        vertx.executeBlocking(() -> {
            StartupChecks.dataDir(config.dataDir());
            if (config.kubernetes() == null) {
                opened.set(MvStoreStore.open(config.dataDir()));
            } else {
                client[0] = KubeClients.upstream(kubeVertx[0], config.kubernetes().kubeconfig());
                opened.set(KubernetesStore.open(client[0],
                        config.kubernetes().installCrds() ? BundledCrds.load() : List.of(), KUBE_WRITE_CONCURRENCY));
            }
            return opened.get();
        }).compose(store -> {
            Blocking storePool = new Blocking(vertx, "flotilla-store", 4);
            return vertx.executeBlocking(() -> ManagerSecurity.prepare(config.tls(), config.dataDir(), config.host(), store,
                            storePool, vertx, bootstrapAdminName(config), config.kubernetes() == null
                                    ? TlsMaterial.filesIn(config.dataDir()) : new SecretCaKeeper(store)))
                    .onFailure(e -> storePool.close())
                    .map(security -> {
                        if (client[0] != null) {
                            security.acceptKubernetesTokens(client[0], storePool);
                        }
                        Manager manager = new Manager(config, vertx, store, storePool, security, client[0], metrics);
                        manager.kubeClient = client[0];
                        manager.kubeVertx = kubeVertx[0];
                        built.set(manager);
                        return manager;
                    });
        }).compose(manager -> manager.listen().compose(v -> manager.campaign()).map(manager)).onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
                return;
            }
            // Completed from a plain thread: a future bound to this (closing) event loop would never be delivered.
            if (built.get() == null) {
                if (client[0] != null) {
                    client[0].close();
                }
                if (kubeVertx[0] != null) {
                    kubeVertx[0].close();
                }
            }
            StartupChecks.abandon(vertx, built.get() == null ? null : built.get()::stop, opened.get())
                    .whenComplete((v, ignored) -> result.completeExceptionally(ar.cause()));
        });
        return Future.fromCompletionStage(result);
    }

    /** Replicas share one store in Kubernetes mode: each bootstraps an admin token of its own. */
    private static String bootstrapAdminName(ManagerConfig config) {
        if (config.kubernetes() == null) {
            return io.flotilla.manager.security.UserTokens.BOOTSTRAP_ADMIN;
        }
        String identity = config.kubernetes().election() != null ? config.kubernetes().election().identity()
                : config.kubernetes().namespace();
        String name = ("admin-" + identity.toLowerCase(java.util.Locale.ROOT)).replaceAll("[^a-z0-9-]", "-");
        name = name.length() > 63 ? name.substring(0, 63) : name;
        return name.replaceAll("-+$", "");
    }

    /** Called (once) when this replica loses the Lease after leading: its controllers are undeployed by then. */
    public void onLeadershipLost(Runnable handler) {
        this.leadershipLost = handler;
    }

    private Future<Void> campaign() {
        ManagerConfig.KubernetesMode kube = config.kubernetes();
        if (kube == null || kube.election() == null) {
            return deployControllers();
        }
        ready.set(false);
        leadership = new LeaseLeadership(kubeClient, kube.namespace(), kube.election());
        leadership.start(() -> vertx.runOnContext(v -> deployControllers()
                        .onFailure(e -> LOG.error("Could not start the controllers after acquiring the lease", e))),
                () -> vertx.runOnContext(v -> {
                    if (stopping || !leading) {
                        return;
                    }
                    undeployControllers().onComplete(ar -> leadershipLost.run());
                }));
        return Future.succeededFuture();
    }

    /** Status first (it replays the BDs), then targeting, the agent streams, and git last (it produces the work). */
    private Future<Void> deployControllers() {
        leading = true;
        observability.leading();
        List<Supplier<io.vertx.core.Deployable>> verticles = List.of(
                () -> new StatusVerticle(status),
                () -> new DeploymentVerticle(deployments),
                () -> new AgentStreamVerticle(store, agents, delivery, liveness, serverContext),
                () -> new RegistrationTokenVerticle(() -> new RegistrationTokenController(store, registration)),
                () -> new GitVerticle(store, gitRepos));
        Future<Void> chain = Future.succeededFuture();
        for (Supplier<io.vertx.core.Deployable> verticle : verticles) {
            chain = chain.compose(v -> stopping ? Future.succeededFuture()
                    : vertx.deployVerticle(verticle.get()).map(id -> {
                        deployed.add(id);
                        return null;
                    }));
        }
        return chain.onSuccess(v -> {
            ready.set(!stopping);
            LOG.info("Controllers started ({} verticles)", deployed.size());
        });
    }

    /** In reverse order: git stops producing work, agents are let go, then targeting and status stop. */
    private Future<Void> undeployControllers() {
        ready.set(false);
        leading = false;
        Future<Void> chain = Future.succeededFuture();
        List<String> ids = new ArrayList<>(deployed);
        deployed.clear();
        java.util.Collections.reverse(ids);
        for (String id : ids) {
            chain = chain.compose(v -> vertx.undeploy(id).recover(e -> {
                LOG.warn("A controller did not stop cleanly: {}", e.toString());
                return Future.succeededFuture();
            }));
        }
        return chain;
    }

    private Future<Void> listen() {
        serverContext = vertx.getOrCreateContext();
        GrpcServer grpc = GrpcServer.server(vertx);
        agents.bind(grpc);
        new StatusGrpcService(statusHub, (token, request) -> security.admission().admit(token, request)).bind(grpc);
        StatusSse sse = new StatusSse(statusHub);
        Router router = restApi.router(vertx, r -> {
            r.get("/status/watch").handler(sse::handle);
            r.post("/webhooks/git").handler(this::webhook);
            new io.flotilla.manager.ui.Dashboard().routes(r);
            security.routes(r, RestApi::fail);
            observability.routes(r);
        });
        http = vertx.createHttpServer(security.serverOptions(new HttpServerOptions().setHost(config.host()).setPort(config.port())));
        http.requestHandler(req -> {
            String type = req.getHeader("content-type");
            if (type != null && type.startsWith("application/grpc")) {
                grpc.handle(req); // the agent service answers UNAVAILABLE itself while this replica does not lead
                return;
            }
            observability.count(req);
            if (!leading && !req.path().equals("/healthz") && !req.path().equals("/readyz")
                    && !req.path().equals("/metrics")) { // a standby is scraped too
                String leader = leadership == null ? "" : leadership.leader();
                req.response().setStatusCode(503).putHeader("content-type", "application/json")
                        .putHeader("retry-after", "2")
                        .end(Json.object().put("message", "this Flotilla manager replica is on standby"
                                + (leader.isEmpty() ? "" : "; the leader is " + leader)).toString());
            } else {
                router.handle(req);
            }
        });
        return http.listen().recover(e -> Future.failedFuture(StartupChecks.listenFailure(config.host(), config.port(), e)))
                .compose(server -> vertx.executeBlocking(() -> security.writeAdminConfig(config.host(),
                server.actualPort())).map(server)).map(server -> {
            LOG.info("Flotilla manager listening on {}:{} (gRPC and REST), {}", config.host(), server.actualPort(),
                    config.kubernetes() == null ? "data in " + config.dataDir().toAbsolutePath()
                            : "objects in the Kubernetes API " + kubeClient.getMasterUrl());
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

    /** Whether this replica runs the controllers (always in embedded mode once started). */
    public boolean leading() {
        return leading;
    }

    /**
     * Stops the controllers (in-flight work finishes), releases the Lease so that a standby takes over at once,
     * stops serving, closes the store and Vert.x.
     */
    public Future<Void> stop() {
        stopping = true;
        ready.set(false);
        Future<Void> undeployed = undeployControllers();
        CompletableFuture<Void> done = new CompletableFuture<>();
        undeployed.onComplete(ar -> {
            if (leadership != null) {
                leadership.close();
            }
            shutdown().onComplete(v -> done.complete(null));
        });
        return Future.fromCompletionStage(done);
    }

    private Future<Void> shutdown() {
        // Idle keep-alive connections would otherwise hold a graceful shutdown for 30 s.
        Future<Void> closed = http == null ? Future.succeededFuture() : http.shutdown(1, TimeUnit.SECONDS);
        // The last step closes Vert.x itself, so its completion must not hop back onto a (closed) event loop.
        CompletableFuture<Void> done = new CompletableFuture<>();
        closed.eventually(() -> vertx.executeBlocking(() -> {
                    observability.close();
                    bdStatus.close();
                    gitPool.close();
                    storePool.close();
                    store.close();
                    if (kubeClient != null) {
                        kubeClient.close();
                        kubeVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    }
                    return null;
                }))
                // Closed from a plain thread: a future made there has no context, so its completion does not hop onto
                // an event loop that the close itself terminates (a RejectedExecutionException otherwise).
                .onComplete(ar -> CompletableFuture.runAsync(() -> vertx.close()
                        .onComplete(v -> done.complete(null))));
        return Future.fromCompletionStage(done);
    }
}

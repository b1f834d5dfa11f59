package io.flotilla.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Utils;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.flotilla.agent.cluster.ClusterProbe;
import io.flotilla.agent.cluster.InClusterConfig;
import io.flotilla.agent.connection.AgentState;
import io.flotilla.agent.connection.Backoff;
import io.flotilla.agent.connection.ManagerConnection;
import io.flotilla.agent.state.AgentStateStore;
import io.flotilla.agent.state.FileAgentStateStore;
import io.flotilla.agent.state.SecretAgentStateStore;
import io.flotilla.agent.connection.PinnedTrustManager;
import io.flotilla.agent.work.DeploymentWorker;
import io.flotilla.bundle.render.ProcessKustomizeRunner;
import io.flotilla.proto.v1.ClusterHealth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One agent: registers with the manager (once; the credential is kept in the state dir), keeps the
 * stream open, and reports whether it can reach its own cluster's API. It keeps running when that
 * API is down, and says so in the Cluster's status.
 */
public final class Agent {
    static final Duration RECONNECT_BACKOFF_MAX = Duration.ofSeconds(4);

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final int EVENT_LOOPS = 1;
    /** Blocking work on Vert.x' pool: registration, the cluster probe, the state file. */
    static final int WORKER_THREADS = 2;
    static final int INTERNAL_BLOCKING_THREADS = 1;
    static final int KUBE_TASK_THREADS = 2;

    private final AgentConfig config;
    private final Vertx vertx;
    private final KubernetesClient kube;
    private final ClusterProbe probe;
    private final AgentStateStore stateStore;
    /** Null until the first probe answered. */
    private volatile ClusterHealth health;
    private volatile ManagerConnection connection;
    private DeploymentWorker worker;
    private long probeTimer = -1;
    private final io.flotilla.agent.metrics.AgentMetrics metrics;
    private io.flotilla.agent.metrics.MetricsServer metricsServer;
    private volatile int metricsPort = -1;

    private Agent(AgentConfig config, Vertx vertx) throws IOException {
        this.config = config;
        this.vertx = vertx;
        SecretAgentStateStore.SecretRef stateSecret = config.stateSecret() == null ? null
                : SecretAgentStateStore.parse(config.stateSecret());
        KubernetesSerialization serialization = new KubernetesSerialization(new ObjectMapper(), false);
        Config kubeConfig = config.kubeconfig() != null ? kubeconfig(Files.readString(config.kubeconfig()), serialization)
                : InClusterConfig.detect(System.getenv(), InClusterConfig.SERVICE_ACCOUNT_DIR)
                        .map(inCluster -> {
                            LOG.info("No --kubeconfig: using the in-cluster configuration ({}, service account token)",
                                    inCluster.getMasterUrl());
                            return inCluster;
                        })
                        .orElseGet(() -> new io.fabric8.kubernetes.client.ConfigBuilder().build());
        kubeConfig.setRequestTimeout(5_000);
        kubeConfig.setConnectionTimeout(3_000);
        kubeConfig.setRequestRetryBackoffLimit(0);
        this.kube = new KubernetesClientBuilder().withConfig(kubeConfig)
                .withHttpClientFactory(new Vertx5HttpClientFactory(vertx))
                // Without the class-path scan for KubernetesResource implementations, fabric8 loads only the
                // model classes the agent uses (about 1,000 fewer classes): objects are read as
                // GenericKubernetesResource or as the typed class asked for, kinds are resolved by discovery.
                .withKubernetesSerialization(serialization)
                .withTaskExecutorSupplier(Agent::kubeTaskExecutor)
                .build();
        this.probe = new ClusterProbe(kube);
        this.stateStore = stateSecret == null ? new FileAgentStateStore(config.stateDir())
                : new SecretAgentStateStore(kube, stateSecret);
        this.metrics = config.metricsListen() == null ? io.flotilla.agent.metrics.AgentMetrics.NONE
                : new io.flotilla.agent.metrics.PrometheusAgentMetrics();
    }

    /** {@code HOST:PORT} (or {@code [v6]:PORT}) of {@code --metrics-listen}. */
    public static java.util.Map.Entry<String, Integer> hostPort(String value) {
        int colon = value == null ? -1 : value.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--metrics-listen \"" + value + "\" is not HOST:PORT (e.g. 0.0.0.0:9100)");
        }
        String host = value.substring(0, colon).replaceAll("^\\[|\\]$", "");
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return java.util.Map.entry(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics-listen \"" + value + "\": the port must be a number 0-65535");
        }
    }

    /** The port of the metrics listener, or -1 without {@code --metrics-listen}. */
    public int metricsPort() {
        return metricsPort;
    }

    /**
     * {@link Config#fromKubeconfig(String)}, but parsed with the agent's serialization: fabric8's own (static) one
     * scans the class path for every model class on its first use, about 600 classes the agent never needs.
     * Falls back to {@code fromKubeconfig} should fabric8's kubeconfig merge change.
     */
    static Config kubeconfig(String yaml, KubernetesSerialization serialization) {
        try {
            Config parsed = Config.empty();
            KubeConfigUtils.merge(parsed, null, serialization.unmarshal(yaml, io.fabric8.kubernetes.api.model.Config.class));
            if (!Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_DISABLE_AUTO_CONFIG_SYSTEM_PROPERTY, false)) {
                Config.configFromSysPropsOrEnvVars(parsed); // as fromKubeconfig does: KUBERNETES_* overrides
            }
            return parsed;
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("kubeconfig merge failed ({}); using Config.fromKubeconfig", e.toString());
            return Config.fromKubeconfig(yaml);
        }
    }

    /**
     * fabric8's task executor (informer event dispatch, async continuations): by default an unbounded cached pool
     * that grew to a dozen threads while 50 BDs were applied. Two threads that end after 30 s idle suffice.
     */
    private static ExecutorService kubeTaskExecutor() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(KUBE_TASK_THREADS, KUBE_TASK_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "flotilla-kube-" + n.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * The agent's one Vert.x instance, shared with fabric8. Sized to the agent's work (one gRPC stream, a few API
     * watches, one status worker): Vert.x' defaults (2 event loops per core, 20 worker threads, created one per
     * task until all 20 exist) only grow the thread count and memory.
     */
    static VertxOptions vertxOptions() {
        return new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setWorkerPoolSize(WORKER_THREADS)
                .setInternalBlockingPoolSize(INTERNAL_BLOCKING_THREADS);
    }

    /** Starts an agent; fails when it holds no credential and the token is refused. */
    public static Future<Agent> start(AgentConfig config) {
        Vertx vertx = Vertx.vertx(vertxOptions());
        // Completed off Vert.x: after a failed start Vert.x is closed, and a continuation scheduled on one of its
        // (terminated) event loops would never run, leaving the caller waiting forever.
        CompletableFuture<Agent> started = new CompletableFuture<>();
        vertx.executeBlocking(() -> new Agent(config, vertx))
                .compose(agent -> agent.run().map(agent))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        started.complete(ar.result());
                    } else {
                        vertx.close().onComplete(closed -> started.completeExceptionally(ar.cause()));
                    }
                });
        return Future.fromCompletionStage(started);
    }

    private Future<Void> run() {
        return vertx.executeBlocking(stateStore::load)
                .compose(this::stateOrRegister)
                .compose(state -> {
                    probeTimer = vertx.setPeriodic(0, config.probeInterval().toMillis(), id -> probeNow());
                    java.nio.file.Path renderDir = config.stateDir().resolve("render");
                    try {
                        Files.createDirectories(renderDir);
                    } catch (IOException e) {
                        return Future.failedFuture(new IllegalStateException("cannot create " + renderDir + ": " + e.getMessage(), e));
                    }
                    worker = new DeploymentWorker(vertx, kube, renderDir,
                            ProcessKustomizeRunner.fromEnvironment(), message -> connection != null && connection.send(message));
                    worker.observe(metrics);
                    return startMetrics().compose(v -> worker.loadOwnership()).map(v -> state);
                })
                .compose(state -> {
                    // Reconnects wait at most 4 s: a manager failover (a new leader within the lease duration) is over
                    // seconds after it starts, and status must be complete again soon after; full jitter spreads a fleet.
                    connection = new ManagerConnection(vertx, config.manager(),
                            new Backoff(Duration.ofMillis(500), RECONNECT_BACKOFF_MAX, () -> ThreadLocalRandom.current().nextDouble()),
                            () -> health, () -> {
                                if (!worker.ownershipLoaded()) {
                                    worker.loadOwnership();
                                }
                                return worker.held();
                            }, worker::onMessage, worker::connected);
                    connection.onReconnect(metrics::streamReconnect);
                    connection.start(state);
                    return Future.succeededFuture();
                });
    }

    private Future<Void> startMetrics() {
        if (!(metrics instanceof io.flotilla.agent.metrics.PrometheusAgentMetrics prometheus)) {
            return Future.succeededFuture();
        }
        var address = hostPort(config.metricsListen());
        metricsServer = new io.flotilla.agent.metrics.MetricsServer(vertx, prometheus, vertx.getOrCreateContext());
        return metricsServer.listen(address.getKey(), address.getValue()).map(port -> {
            metricsPort = port;
            LOG.info("Serving Prometheus metrics on http://{}:{}/metrics", address.getKey(), port);
            return (Void) null;
        });
    }

    private Future<AgentState> stateOrRegister(Optional<AgentState> saved) {
        if (saved.isPresent() && saved.get().clusterName().equals(config.clusterName())) {
            LOG.info("Using the stored credential of cluster {}/{} ({})", saved.get().clusterNamespace(),
                    saved.get().clusterName(), stateStore.describe());
            return Future.succeededFuture(saved.get());
        }
        if (config.token() == null || config.token().isBlank()) {
            return Future.failedFuture(new IllegalStateException("no credential in " + stateStore.describe()
                    + " for cluster " + config.clusterName() + " and no registration token given (--token or "
                    + "--token-file): create one with 'flotilla token create'"));
        }
        return registerWithRetry(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30),
                () -> ThreadLocalRandom.current().nextDouble()))
                .compose(resp -> vertx.executeBlocking(() -> {
                    AgentState state = new AgentState(config.manager().toString(), resp.getClusterNamespace(),
                            resp.getClusterName(), resp.getCredential(), PinnedTrustManager.pinOf(config.token()));
                    stateStore.save(state);
                    LOG.info("Registered as cluster {}/{}; credential stored in {}", state.clusterNamespace(),
                            state.clusterName(), stateStore.describe());
                    return state;
                }));
    }

    /** A refused token fails at once; an unreachable manager is retried. */
    private Future<io.flotilla.proto.v1.RegisterResponse> registerWithRetry(Backoff backoff) {
        return ManagerConnection.register(vertx, config.manager(), config.token(), config.clusterName(), config.labels())
                .recover(e -> {
                    if (e instanceof ManagerConnection.RegistrationRefused) {
                        return Future.failedFuture(e);
                    }
                    Duration delay = backoff.next();
                    LOG.warn("Cannot register with the manager at {} ({}); retrying in {} ms", config.manager(),
                            ManagerConnection.describe(e), delay.toMillis());
                    return vertx.timer(delay.toMillis()).compose(v -> registerWithRetry(backoff));
                });
    }

    private void probeNow() {
        vertx.executeBlocking(probe::probe, false).onSuccess(h -> {
            if (health == null || h.getApiReachable() != health.getApiReachable()) {
                if (h.getApiReachable()) {
                    LOG.info("Cluster API reachable ({})", h.getKubernetesVersion());
                } else {
                    LOG.warn("Cluster API unreachable: {}", h.getMessage());
                }
            }
            health = h;
        });
    }

    public DeploymentWorker worker() {
        return worker;
    }

    public ManagerConnection connection() {
        return connection;
    }

    public Future<Void> stop() {
        LOG.info("Agent of cluster {} stopping", config.clusterName());
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
        if (worker != null) {
            worker.close();
        }
        Future<Void> stopped = (connection == null ? Future.<Void>succeededFuture() : connection.stop())
                .eventually(() -> metricsServer == null ? Future.succeededFuture() : metricsServer.close());
        // The last step closes Vert.x itself, so its completion must not hop back onto a (closed) event loop.
        CompletableFuture<Void> done = new CompletableFuture<>();
        stopped.eventually(() -> vertx.executeBlocking(() -> {
            kube.close();
            return null;
        })).onComplete(ar -> vertx.close().onComplete(v -> {
            LOG.info("Agent of cluster {} stopped", config.clusterName());
            done.complete(null);
        }));
        return Future.fromCompletionStage(done);
    }
}

package io.flotilla.cli;

import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Validation;
import io.flotilla.manager.leader.LeaderElectionSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "manager", mixinStandardHelpOptions = true,
        description = {"Run the manager: gRPC for agents and tooling and the REST API on one port.",
                "Objects live in an embedded store under --data-dir (default) or, with --store kubernetes, as custom "
                        + "resources of the upstream cluster, with Lease-based leader election between replicas."})
final class ManagerCommand implements Callable<Integer> {
    private static volatile boolean running;

    @Option(names = "--data-dir", defaultValue = "./data", description = "Directory of the embedded store (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8080", description = "HOST:PORT to serve gRPC and REST on (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--offline-timeout", defaultValue = "15s", description = "A cluster whose agent stream is gone this long is shown offline (default: ${DEFAULT-VALUE}).")
    String offlineTimeout;

    @Option(names = "--heartbeat-interval", defaultValue = "5s", description = "Heartbeat interval asked of agents (default: ${DEFAULT-VALUE}).")
    String heartbeatInterval;

    @Option(names = "--store", defaultValue = "embedded", description = "embedded or kubernetes (default: ${DEFAULT-VALUE}).")
    String storeMode;

    @Option(names = "--kubeconfig", description = "Kubernetes mode: the upstream cluster's kubeconfig (default: in-cluster, $KUBECONFIG, ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--namespace", defaultValue = "flotilla-system", description = "Kubernetes mode: the manager's own namespace, where its Lease lives (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--install-crds", defaultValue = "true", arity = "0..1", description = "Kubernetes mode: install or upgrade the CRDs at start (default: ${DEFAULT-VALUE}; false when the flotilla-crds chart installs them).")
    boolean installCrds;

    @Option(names = "--leader-elect", defaultValue = "true", arity = "0..1", description = "Kubernetes mode: elect one active replica through a Lease (default: ${DEFAULT-VALUE}).")
    boolean leaderElect;

    @Option(names = "--identity", description = "Kubernetes mode: this replica's name in the Lease (default: $POD_NAME, else the host name).")
    String identity;

    @Option(names = "--lease-name", defaultValue = "flotilla-manager", description = "Kubernetes mode: the Lease's name (default: ${DEFAULT-VALUE}).")
    String leaseName;

    @Option(names = "--lease-duration", defaultValue = "15s", description = "How long a lease lasts without renewal before a standby takes it (default: ${DEFAULT-VALUE}).")
    String leaseDuration;

    @Option(names = "--renew-deadline", defaultValue = "10s", description = "A leader that cannot renew within this steps down (default: ${DEFAULT-VALUE}).")
    String renewDeadline;

    @Option(names = "--retry-period", defaultValue = "2s", description = "How often standbys try to acquire the lease (default: ${DEFAULT-VALUE}).")
    String retryPeriod;

    static boolean keepsRunning() {
        return running;
    }

    @Override
    public Integer call() throws Exception {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            System.err.println("--listen must be HOST:PORT, got " + listen);
            return 2;
        }
        Duration offline = Validation.parseDuration("--offline-timeout", offlineTimeout);
        Duration heartbeat = Validation.parseDuration("--heartbeat-interval", heartbeatInterval);
        ManagerConfig config = ManagerConfig.defaults(dataDir, listen.substring(0, colon),
                Integer.parseInt(listen.substring(colon + 1))).withTimeouts(offline, heartbeat);
        switch (storeMode) {
            case "embedded" -> { }
            case "kubernetes" -> {
                LeaderElectionSettings election = null;
                if (leaderElect) {
                    String me = identity != null ? identity : System.getenv().getOrDefault("POD_NAME", hostName());
                    try {
                        election = new LeaderElectionSettings(leaseName, me,
                                Validation.parseDuration("--lease-duration", leaseDuration),
                                Validation.parseDuration("--renew-deadline", renewDeadline),
                                Validation.parseDuration("--retry-period", retryPeriod));
                    } catch (IllegalArgumentException e) {
                        System.err.println("flotilla manager: " + e.getMessage());
                        return 2;
                    }
                }
                config = config.withKubernetes(new ManagerConfig.KubernetesMode(kubeconfig, namespace, installCrds, election));
            }
            default -> {
                System.err.println("flotilla manager: --store must be embedded or kubernetes, got " + storeMode);
                return 2;
            }
        }
        Manager manager;
        try {
            manager = Manager.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("flotilla manager: " + e.getCause().getMessage());
            return 1;
        }
        running = true;
        manager.onLeadershipLost(() -> {
            // As controller-runtime does: a replica that lost the lease exits, and its restart rejoins as a standby.
            System.err.println("flotilla manager: lost the lease; exiting so that this replica restarts as a standby");
            System.exit(1);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                manager.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("flotilla manager: unclean stop: " + e);
            }
        }, "flotilla-shutdown"));
        System.out.println("flotilla manager " + (manager.leading() || config.kubernetes() == null
                || config.kubernetes().election() == null ? "ready" : "standing by (leader election)")
                + " on " + config.host() + ":" + manager.port());
        return 0;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "flotilla-manager-" + ProcessHandle.current().pid();
        }
    }
}

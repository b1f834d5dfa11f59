package io.flotilla.cli;

import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Validation;
import io.flotilla.manager.leader.LeaderElectionSettings;
import io.flotilla.manager.security.ClientConfig;
import io.flotilla.manager.security.TlsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
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

    @Option(names = "--tls-cert-file", description = "PEM serving certificate (leaf first, then intermediates/CA). Default: "
            + "a CA and certificate generated in <data-dir>/tls on first start.")
    Path tlsCertFile;

    @Option(names = "--tls-key-file", description = "PEM private key of --tls-cert-file.")
    Path tlsKeyFile;

    @Option(names = "--tls-san", split = ",", description = "Further DNS names or IPs the generated certificate is valid for.")
    java.util.List<String> tlsSans = new java.util.ArrayList<>();

    @Option(names = "--plaintext", description = "Serve without TLS (cleartext HTTP/1.1 and h2c): tokens cross the network in "
            + "clear. For tests and loopback-only setups.")
    boolean plaintext;

    @Option(names = "--allow-file-repos", description = "Let GitRepos name file:// repositories on this machine (off: "
            + "whoever may create a GitRepo could otherwise publish any local repository).")
    boolean allowFileRepos;

    @Option(names = "--allow-loopback-repos", description = "Let GitRepos name git servers on this machine (loopback) or "
            + "link-local addresses (off by default).")
    boolean allowLoopbackRepos;

    @Option(names = "--allow-private-repos", description = "Let GitRepos name git servers in private networks (10/8, "
            + "172.16/12, 192.168/16, fc00::/7, 100.64/10; off by default).")
    boolean allowPrivateRepos;

    @Option(names = "--client-config", description = "Where to copy the admin client config for this user on first start "
            + "(default: env FLOTILLA_CONFIG or ~/.flotilla/config; an existing file of another manager is left alone).")
    Path clientConfig;

    /**
     * Gives this user the admin config: written when absent, refreshed (server, CA) when it holds this manager's
     * token, left alone when it belongs to another manager.
     */
    static void copyClientConfig(Path adminFile, Path userFile) {
        try {
            ClientConfig admin = ClientConfig.load(adminFile);
            if (Files.exists(userFile)) {
                ClientConfig existing;
                try {
                    existing = ClientConfig.load(userFile);
                } catch (IOException unreadable) {
                    System.err.println("flotilla manager: " + unreadable.getMessage() + "; left as it is");
                    return;
                }
                if (!java.util.Objects.equals(existing.token(), admin.token())) {
                    System.err.println("flotilla manager: " + userFile + " belongs to another manager and was left alone; "
                            + "use --config " + adminFile + " (or FLOTILLA_CONFIG) for this one");
                    return;
                }
            }
            admin.save(userFile);
        } catch (IOException e) {
            System.err.println("flotilla manager: could not write the client config " + userFile + ": " + e.getMessage());
        }
    }

    static boolean keepsRunning() {
        return running;
    }

    @Override
    public Integer call() throws Exception {
        int colon = listen.lastIndexOf(':');
        if (colon < 0 || !listen.substring(colon + 1).matches("\\d{1,5}") || Integer.parseInt(listen.substring(colon + 1)) > 65535) {
            System.err.println("flotilla manager: --listen must be HOST:PORT (port 0-65535), got " + listen);
            return 2;
        }
        Duration offline = Validation.parseDuration("--offline-timeout", offlineTimeout);
        Duration heartbeat = Validation.parseDuration("--heartbeat-interval", heartbeatInterval);
        TlsSettings tls;
        try {
            tls = plaintext ? TlsSettings.cleartext().withExtraSans(tlsSans)
                    : new TlsSettings(tlsCertFile, tlsKeyFile, false, tlsSans);
            if (plaintext && (tlsCertFile != null || tlsKeyFile != null)) {
                throw new IllegalArgumentException("--plaintext and --tls-cert-file/--tls-key-file contradict each other");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("flotilla manager: " + e.getMessage());
            return 2;
        }
        ManagerConfig config = ManagerConfig.defaults(dataDir, listen.substring(0, colon),
                Integer.parseInt(listen.substring(colon + 1))).withTimeouts(offline, heartbeat).withTls(tls)
                .withGitAccess(new io.flotilla.manager.git.GitAccessPolicy(allowFileRepos, allowLoopbackRepos, allowPrivateRepos));
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
            System.err.println("flotilla manager: " + (e.getCause().getMessage() == null ? e.getCause().toString()
                    : e.getCause().getMessage()));
            return 1;
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("flotilla manager: did not start within 60 s (see the log above)");
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
                + " on " + config.host() + ":" + manager.port()
                + (plaintext ? " (cleartext)" : " (TLS)") + "; admin client config in " + manager.adminConfigFile());
        copyClientConfig(manager.adminConfigFile(), clientConfig == null ? ClientConfig.defaultPath() : clientConfig);
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

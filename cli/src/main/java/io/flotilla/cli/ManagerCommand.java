package io.flotilla.cli;

import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Validation;
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
        description = "Run the manager: embedded store, gRPC for agents and tooling, and the REST API on one port.")
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
                Integer.parseInt(listen.substring(colon + 1))).withTimeouts(offline, heartbeat).withTls(tls);
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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                manager.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("flotilla manager: unclean stop: " + e);
            }
        }, "flotilla-shutdown"));
        System.out.println("flotilla manager ready on " + config.host() + ":" + manager.port()
                + (plaintext ? " (cleartext)" : " (TLS)") + "; admin client config in " + manager.adminConfigFile());
        copyClientConfig(manager.adminConfigFile(), clientConfig == null ? ClientConfig.defaultPath() : clientConfig);
        return 0;
    }
}

package io.flotilla.cli;

import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Validation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
        Manager manager;
        try {
            manager = Manager.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("flotilla manager: " + e.getCause().getMessage());
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
        System.out.println("flotilla manager ready on " + config.host() + ":" + manager.port());
        return 0;
    }
}

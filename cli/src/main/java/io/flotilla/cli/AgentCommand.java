package io.flotilla.cli;

import io.flotilla.agent.Agent;
import io.flotilla.agent.AgentConfig;
import io.flotilla.agent.state.SecretAgentStateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run an agent for one downstream cluster: register once, then keep one stream to the manager.")
final class AgentCommand implements Callable<Integer> {
    private static volatile boolean running;

    @Option(names = "--manager", required = true, description = "Manager URL, e.g. http://127.0.0.1:8080.")
    URI manager;

    @Option(names = "--token", description = "Registration token (or env FLOTILLA_REGISTRATION_TOKEN, or a registration "
            + "token in FLOTILLA_TOKEN); not needed once the state dir holds a credential. It carries the hash of the "
            + "manager's CA, which the agent then trusts (and no other).")
    String token;

    @Option(names = "--token-file", description = "File holding the registration token (e.g. a mounted Secret); "
            + "a missing file counts as no token, which is fine once the state holds a credential.")
    Path tokenFile;

    @Option(names = "--cluster-name", required = true, description = "Name of this cluster.")
    String clusterName;

    @Option(names = "--labels", split = ",", description = "Cluster labels, k=v,k2=v2.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--kubeconfig", description = "Kubeconfig of the downstream cluster (default: in a pod, the "
            + "in-cluster service account; elsewhere the usual fabric8 lookup).")
    Path kubeconfig;

    @Option(names = "--state-dir", defaultValue = "./agent-state",
            description = "Where the credential is kept unless --state-secret, and rendering scratch space (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--state-secret", paramLabel = "NAMESPACE/NAME",
            description = "Keep the credential in this Secret of the downstream cluster instead of the state dir "
                    + "(what the Helm chart does).")
    String stateSecret;

    static boolean keepsRunning() {
        return running;
    }

    @Override
    public Integer call() throws Exception {
        if (token == null) {
            String env = System.getenv("FLOTILLA_REGISTRATION_TOKEN");
            String shared = System.getenv("FLOTILLA_TOKEN"); // the CLI's variable: used only when it holds a registration token
            token = env != null && !env.isBlank() ? env.trim() : shared != null && shared.startsWith("flt1.") ? shared.trim() : null;
        }
        if (tokenFile != null && token != null && !token.isBlank()) {
            System.err.println("flotilla agent: give either --token (or FLOTILLA_REGISTRATION_TOKEN) or --token-file, not both");
            return 2;
        }
        if (stateSecret != null) {
            try {
                SecretAgentStateStore.parse(stateSecret);
            } catch (IllegalArgumentException e) {
                System.err.println("flotilla agent: " + e.getMessage());
                return 2;
            }
        }
        String registrationToken = token;
        if (tokenFile != null && Files.exists(tokenFile)) {
            try {
                registrationToken = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                System.err.println("flotilla agent: cannot read --token-file " + tokenFile + ": " + e.getMessage());
                return 2;
            }
        }
        AgentConfig config = new AgentConfig(manager, registrationToken, clusterName, labels, kubeconfig, stateDir,
                AgentConfig.DEFAULT_PROBE_INTERVAL, stateSecret);
        Agent agent;
        try {
            agent = Agent.start(config).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            System.err.println("flotilla agent: " + e.getCause().getMessage());
            return 1;
        }
        running = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("flotilla agent: unclean stop: " + e);
            }
        }, "flotilla-agent-shutdown"));
        return 0;
    }
}

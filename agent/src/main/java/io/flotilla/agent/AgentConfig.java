package io.flotilla.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of one agent process.
 *
 * @param manager      manager URL, e.g. {@code http://127.0.0.1:8080}
 * @param token        registration token; only needed until the agent holds a credential
 * @param clusterName  the Cluster this agent serves
 * @param labels       labels the Cluster is registered with
 * @param kubeconfig   kubeconfig of the downstream cluster; null = in-cluster / default config
 * @param stateDir     where the credential is kept between restarts
 * @param probeInterval how often the downstream API is checked
 */
public record AgentConfig(URI manager, String token, String clusterName, Map<String, String> labels, Path kubeconfig,
                          Path stateDir, Duration probeInterval) {
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(10);
}

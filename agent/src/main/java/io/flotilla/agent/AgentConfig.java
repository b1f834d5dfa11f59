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
 * @param kubeconfig   kubeconfig of the downstream cluster; null = in-cluster config in a pod, else fabric8's lookup
 * @param stateDir     where the credential is kept between restarts (unless stateSecret), and rendering scratch space
 * @param probeInterval how often the downstream API is checked
 * @param stateSecret  {@code namespace/name} of a Secret in the downstream cluster that keeps the credential instead
 *                     of {@code stateDir}; null = the state dir
 * @param metricsListen {@code HOST:PORT} of the Prometheus {@code /metrics} listener; null = none (the default)
 */
public record AgentConfig(URI manager, String token, String clusterName, Map<String, String> labels, Path kubeconfig,
                          Path stateDir, Duration probeInterval, String stateSecret, String metricsListen) {
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(10);

    public AgentConfig(URI manager, String token, String clusterName, Map<String, String> labels, Path kubeconfig,
                       Path stateDir, Duration probeInterval, String stateSecret) {
        this(manager, token, clusterName, labels, kubeconfig, stateDir, probeInterval, stateSecret, null);
    }

    /** The same agent serving Prometheus metrics on {@code hostPort} ({@code HOST:PORT}; null: no metrics listener). */
    public AgentConfig withMetricsListen(String hostPort) {
        return new AgentConfig(manager, token, clusterName, labels, kubeconfig, stateDir, probeInterval, stateSecret, hostPort);
    }

    /** An agent that keeps its credential in {@code stateDir}. */
    public AgentConfig(URI manager, String token, String clusterName, Map<String, String> labels, Path kubeconfig,
                       Path stateDir, Duration probeInterval) {
        this(manager, token, clusterName, labels, kubeconfig, stateDir, probeInterval, null, null);
    }
}

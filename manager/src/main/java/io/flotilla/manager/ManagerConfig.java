package io.flotilla.manager;

import io.flotilla.manager.git.GitAccessPolicy;
import io.flotilla.manager.leader.LeaderElectionSettings;
import io.flotilla.manager.security.TlsSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one manager process.
 *
 * @param dataDir           the embedded store's directory; in Kubernetes mode only the git cache lives here
 * @param host              listen address (gRPC and REST share one port)
 * @param port              listen port; 0 picks a free one
 * @param offlineTimeout    a cluster whose agent stream is gone longer than this is shown offline
 * @param heartbeatInterval how often agents are asked to send a heartbeat
 * @param tls               TLS on the port (by default with a CA generated in the data dir), or cleartext
 * @param kubernetes        Kubernetes mode (objects as custom resources upstream), or null for the embedded store
 * @param gitAccess         which git remotes GitRepos may name (by default: no file://, loopback or private networks)
 */
public record ManagerConfig(Path dataDir, String host, int port, Duration offlineTimeout, Duration heartbeatInterval,
                            TlsSettings tls, KubernetesMode kubernetes, GitAccessPolicy gitAccess) {
    public static final Duration DEFAULT_OFFLINE_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    /**
     * @param kubeconfig  the upstream cluster's kubeconfig, or null for the usual discovery (in-cluster service
     *                    account, {@code $KUBECONFIG}, {@code ~/.kube/config})
     * @param namespace   the manager's own namespace (its Lease)
     * @param installCrds install or upgrade the CRDs at start (off when the chart installs them)
     * @param election    leader election among replicas, or null to lead at once (a single replica)
     */
    public record KubernetesMode(Path kubeconfig, String namespace, boolean installCrds, LeaderElectionSettings election) {
    }

    /** TLS with a generated CA, default timeouts, the embedded store. */
    public static ManagerConfig defaults(Path dataDir, String host, int port) {
        return new ManagerConfig(dataDir, host, port, DEFAULT_OFFLINE_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL,
                TlsSettings.generated(), null, GitAccessPolicy.strict());
    }

    public ManagerConfig withTimeouts(Duration offline, Duration heartbeat) {
        return new ManagerConfig(dataDir, host, port, offline, heartbeat, tls, kubernetes, gitAccess);
    }

    public ManagerConfig withGitAccess(GitAccessPolicy policy) {
        return new ManagerConfig(dataDir, host, port, offlineTimeout, heartbeatInterval, tls, kubernetes, policy);
    }

    public ManagerConfig withTls(TlsSettings settings) {
        return new ManagerConfig(dataDir, host, port, offlineTimeout, heartbeatInterval, settings, kubernetes, gitAccess);
    }

    /** Cleartext (for tests and benchmarks where TLS is not what they measure). */
    public ManagerConfig withPlaintext() {
        return withTls(TlsSettings.cleartext());
    }

    public ManagerConfig withKubernetes(KubernetesMode mode) {
        return new ManagerConfig(dataDir, host, port, offlineTimeout, heartbeatInterval, tls, mode, gitAccess);
    }
}

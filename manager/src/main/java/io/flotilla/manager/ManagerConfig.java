package io.flotilla.manager;

import io.flotilla.manager.security.TlsSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one manager process.
 *
 * @param dataDir           where the embedded store keeps its file
 * @param host              listen address (gRPC and REST share one port)
 * @param port              listen port; 0 picks a free one
 * @param offlineTimeout    a cluster whose agent stream is gone longer than this is shown offline
 * @param heartbeatInterval how often agents are asked to send a heartbeat
 * @param tls               TLS on the port (by default with a CA generated in the data dir), or cleartext
 */
public record ManagerConfig(Path dataDir, String host, int port, Duration offlineTimeout, Duration heartbeatInterval,
                            TlsSettings tls) {
    public static final Duration DEFAULT_OFFLINE_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    /** TLS with a generated CA, default timeouts. */
    public static ManagerConfig defaults(Path dataDir, String host, int port) {
        return new ManagerConfig(dataDir, host, port, DEFAULT_OFFLINE_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, TlsSettings.generated());
    }

    public ManagerConfig withTimeouts(Duration offline, Duration heartbeat) {
        return new ManagerConfig(dataDir, host, port, offline, heartbeat, tls);
    }

    public ManagerConfig withTls(TlsSettings settings) {
        return new ManagerConfig(dataDir, host, port, offlineTimeout, heartbeatInterval, settings);
    }

    /** Cleartext (for tests and benchmarks where TLS is not what they measure). */
    public ManagerConfig withPlaintext() {
        return withTls(TlsSettings.cleartext());
    }
}

package io.flotilla.manager;

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
 */
public record ManagerConfig(Path dataDir, String host, int port, Duration offlineTimeout, Duration heartbeatInterval) {
    public static final Duration DEFAULT_OFFLINE_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    public static ManagerConfig defaults(Path dataDir, String host, int port) {
        return new ManagerConfig(dataDir, host, port, DEFAULT_OFFLINE_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL);
    }

    public ManagerConfig withTimeouts(Duration offline, Duration heartbeat) {
        return new ManagerConfig(dataDir, host, port, offline, heartbeat);
    }
}

package io.flotilla.manager.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Campaigns for the manager's Lease (coordination.k8s.io/v1) with fabric8's leader elector. The callbacks run on
 * the elector's own thread. {@link #close} releases a held lease at once, so a standby takes over within one retry
 * period instead of a whole lease duration (what a rolling update and SIGTERM need).
 */
public final class LeaseLeadership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseLeadership.class);

    private final KubernetesClient client;
    private final String namespace;
    private final LeaderElectionSettings settings;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "flotilla-leader-election");
        t.setDaemon(true);
        return t;
    });
    private volatile CompletableFuture<?> campaign;
    private volatile String leader = "";

    public LeaseLeadership(KubernetesClient client, String namespace, LeaderElectionSettings settings) {
        this.client = client;
        this.namespace = namespace;
        this.settings = settings;
    }

    /** Starts campaigning; {@code started} runs when this replica leads, {@code stopped} when it no longer does. */
    public void start(Runnable started, Runnable stopped) {
        LeaderElector elector = new LeaderElector(client, new LeaderElectionConfigBuilder()
                .withName(settings.leaseName())
                .withLock(new LeaseLock(namespace, settings.leaseName(), settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> {
                    LOG.info("Leading: {} holds lease {}/{}", settings.identity(), namespace, settings.leaseName());
                    started.run();
                }, () -> {
                    LOG.info("{} no longer holds lease {}/{}", settings.identity(), namespace, settings.leaseName());
                    stopped.run();
                }, this::newLeader))
                .build(), executor);
        LOG.info("{} campaigning for lease {}/{} (duration {}, renew deadline {}, retry {})", settings.identity(),
                namespace, settings.leaseName(), settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod());
        campaign = elector.start();
    }

    private void newLeader(String identity) {
        leader = identity == null ? "" : identity;
        if (!settings.identity().equals(leader)) {
            LOG.info("Lease {}/{} is held by {}; {} stands by", namespace, settings.leaseName(), leader, settings.identity());
        }
    }

    /** The identity of the current leader as last observed, or empty. */
    public String leader() {
        return leader;
    }

    /** Stops campaigning and releases the lease when held. */
    @Override
    public void close() {
        CompletableFuture<?> c = campaign;
        if (c != null) {
            c.cancel(true);
        }
        executor.shutdown();
    }
}

package io.flotilla.manager.leader;

import java.time.Duration;
import java.util.Objects;

/**
 * Lease-based leader election of manager replicas, with client-go's meaning of the durations: a leader that cannot
 * renew within {@code renewDeadline} steps down; a standby takes an expired lease ({@code leaseDuration} after the
 * last renewal) and retries every {@code retryPeriod}.
 *
 * @param identity the holder identity written into the Lease (the pod name in a cluster)
 */
public record LeaderElectionSettings(String leaseName, String identity, Duration leaseDuration, Duration renewDeadline,
                                     Duration retryPeriod) {
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

    public LeaderElectionSettings {
        Objects.requireNonNull(leaseName, "leaseName");
        Objects.requireNonNull(identity, "identity");
        if (!(leaseDuration.compareTo(renewDeadline) > 0 && renewDeadline.compareTo(retryPeriod) > 0
                && !retryPeriod.isNegative() && !retryPeriod.isZero())) {
            throw new IllegalArgumentException("leader election needs lease duration (" + leaseDuration
                    + ") > renew deadline (" + renewDeadline + ") > retry period (" + retryPeriod + ") > 0");
        }
    }
}

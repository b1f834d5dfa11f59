package io.flotilla.agent.connection;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Jittered exponential backoff ("full jitter"): attempt n waits a uniform random time in
 * [base/2, min(max, base * 2^n)], so a fleet of agents that lost the manager at once does not
 * return all at once. Pure; the random source is injected for tests.
 */
public final class Backoff {
    private final Duration base;
    private final Duration max;
    private final DoubleSupplier random;
    private int attempt;

    public Backoff(Duration base, Duration max, DoubleSupplier random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    public Duration next() {
        long ceiling = base.toMillis() << Math.min(attempt, 20);
        ceiling = Math.min(ceiling, max.toMillis());
        attempt++;
        long floor = Math.min(base.toMillis() / 2, ceiling);
        return Duration.ofMillis(floor + (long) (random.getAsDouble() * (ceiling - floor)));
    }

    /** Called after a successful connection. */
    public void reset() {
        attempt = 0;
    }

    public int attempts() {
        return attempt;
    }
}

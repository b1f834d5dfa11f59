package io.flotilla.agent.connection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @ParameterizedTest(name = "attempt {0} with random {1} waits {2} ms")
    @CsvSource({
            "0, 0.0, 250", "0, 1.0, 500",
            "1, 1.0, 1000", "2, 1.0, 2000", "3, 0.5, 2125",
            "6, 1.0, 30000", "12, 1.0, 30000", "40, 1.0, 30000", "40, 0.0, 250"})
    void growsExponentiallyWithinJitterBoundsAndCaps(int failuresBefore, double random, long expectedMillis) {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> random);
        for (int i = 0; i < failuresBefore; i++) {
            backoff.next();
        }
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @Test
    void resetStartsOver() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 1.0);
        backoff.next();
        backoff.next();
        backoff.next();
        backoff.reset();
        assertThat(backoff.attempts()).isZero();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void jitterSpreadsAFleet() {
        java.util.Random seeded = new java.util.Random(7);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int agent = 0; agent < 200; agent++) {
            Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), seeded::nextDouble);
            b.next();
            b.next();
            long d = b.next().toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(max - min).as("delays of 200 agents after 3 failures are spread").isGreaterThan(1000);
    }
}

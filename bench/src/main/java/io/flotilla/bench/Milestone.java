package io.flotilla.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts events from any thread and remembers the {@link System#nanoTime()} at which a target count was reached. */
final class Milestone {
    private final int target;
    private final AtomicInteger count = new AtomicInteger();
    private final CompletableFuture<Long> reached = new CompletableFuture<>();

    Milestone(int target) {
        this.target = target;
    }

    void add() {
        if (count.incrementAndGet() == target) {
            reached.complete(System.nanoTime());
        }
    }

    int count() {
        return count.get();
    }

    /** The nanoTime at which the target was reached; fails after {@code seconds} with the count so far. */
    long await(String what, long seconds) throws Exception {
        try {
            return reached.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": only " + count.get() + " of " + target + " after " + seconds + " s", e);
        }
    }
}

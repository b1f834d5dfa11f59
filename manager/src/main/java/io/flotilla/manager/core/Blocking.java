package io.flotilla.manager.core;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.Callable;

/** Runs blocking work (store, git, rendering) off the event loop, on a named worker pool. */
public final class Blocking {
    private final WorkerExecutor executor;

    public Blocking(WorkerExecutor executor) {
        this.executor = executor;
    }

    /** Runs {@code work} on the pool; calls for one caller keep no order guarantee (ordered = false). */
    public <T> Future<T> run(Callable<T> work) {
        return executor.executeBlocking(work, false);
    }

    /** Runs {@code work} on the pool, after every earlier ordered call from the same context. */
    public <T> Future<T> runOrdered(Callable<T> work) {
        return executor.executeBlocking(work, true);
    }
}

package io.flotilla.manager.core;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking work (store, git, rendering) off the event loop, on a named pool, and completes the result
 * back on the caller's context. Unlike Vert.x's worker executors, work still running when the manager stops
 * cannot complete onto a closed event loop: such results are dropped, and {@link #close()} waits for the pool.
 */
public final class Blocking implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Blocking.class);

    private final Vertx vertx;
    private final String name;
    private final ExecutorService pool;
    /** Work whose order matters (per-cluster status writes) runs here, one task at a time. */
    private final ExecutorService ordered;

    public Blocking(Vertx vertx, String name, int threads) {
        this.vertx = vertx;
        this.name = name;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.ordered = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-ordered");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} on the pool; calls keep no order among themselves. */
    public <T> Future<T> run(Callable<T> work) {
        return submit(pool, work);
    }

    /** Runs {@code work} after every earlier ordered call. */
    public <T> Future<T> runOrdered(Callable<T> work) {
        return submit(ordered, work);
    }

    private <T> Future<T> submit(ExecutorService executor, Callable<T> work) {
        Context context = vertx.getOrCreateContext();
        Promise<T> promise = Promise.promise();
        try {
            executor.execute(() -> {
                T result = null;
                Throwable failure = null;
                try {
                    result = work.call();
                } catch (Throwable e) {
                    failure = e;
                }
                T r = result;
                Throwable f = failure;
                try {
                    context.runOnContext(v -> {
                        if (f == null) {
                            promise.complete(r);
                        } else {
                            promise.fail(f);
                        }
                    });
                } catch (RejectedExecutionException stopping) {
                    LOG.debug("{}: result dropped, the manager is stopping", name);
                }
            });
        } catch (RejectedExecutionException closed) {
            return Future.failedFuture(new IllegalStateException(name + " is closed: the manager is stopping"));
        }
        return promise.future();
    }

    /** Stops accepting work and waits (a few seconds at most) for what is running. */
    @Override
    public void close() {
        pool.shutdown();
        ordered.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
            ordered.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

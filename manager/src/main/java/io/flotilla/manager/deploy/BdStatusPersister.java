package io.flotilla.manager.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.store.StatusWriter;
import io.flotilla.manager.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Stores the BD statuses that agent reports carry. The status stream is fed before this, from the report itself;
 * this only makes the report durable, and the agent's report is acknowledged when the returned future completes
 * (an unacknowledged report is re-sent after a reconnect, so nothing acknowledged is lost across a manager restart).
 *
 * <p>With a zero interval (embedded store: a write costs well under a millisecond) each report is written at once,
 * in arrival order. With an interval (Kubernetes mode: each write is an API request and an etcd revision), writes
 * of one BD are coalesced to at most one per interval, and a status that did not change apart from the report's
 * sequence number is not written at all.
 */
public final class BdStatusPersister implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BdStatusPersister.class);

    private final Blocking blocking;
    private final StatusWriter statusWriter;
    private final long intervalNanos;
    private final Object lock = new Object();
    private final Map<ObjectKey, Pending> pending = new HashMap<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService writers;

    /** The changes and waiters of one BD since its last write. */
    private static final class Pending {
        final List<Consumer<ObjectNode>> changes = new ArrayList<>();
        final List<Promise<Void>> waiters = new ArrayList<>();
        boolean scheduled;
        boolean writing;
        long lastWrite = Long.MIN_VALUE / 2;
    }

    public BdStatusPersister(Store store, Blocking blocking, Duration interval, int writeConcurrency) {
        this.blocking = blocking;
        this.statusWriter = new StatusWriter(store);
        this.intervalNanos = interval.toNanos();
        if (intervalNanos > 0) {
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "flotilla-bd-status-timer"));
            this.writers = Executors.newFixedThreadPool(writeConcurrency, r -> daemon(r, "flotilla-bd-status-write"));
        } else {
            this.timer = null;
            this.writers = null;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Applies {@code change} to the stored BD (it may read the whole object; only its status is stored); completes
     * when that is durable (or the BD is gone).
     */
    public Future<Void> write(ObjectKey bd, Consumer<ObjectNode> change) {
        if (intervalNanos == 0) {
            return blocking.runOrdered(() -> {
                statusWriter.patchObject(bd, change);
                return null;
            });
        }
        Promise<Void> done = Promise.promise();
        synchronized (lock) {
            Pending p = pending.computeIfAbsent(bd, k -> new Pending());
            p.changes.add(change);
            p.waiters.add(done);
            if (!p.scheduled && !p.writing) {
                schedule(bd, p);
            }
        }
        return done.future();
    }

    /** Under {@link #lock}. */
    private void schedule(ObjectKey bd, Pending p) {
        p.scheduled = true;
        long delay = Math.max(0, p.lastWrite + intervalNanos - System.nanoTime());
        timer.schedule(() -> writers.execute(() -> flush(bd)), delay, TimeUnit.NANOSECONDS);
    }

    private void flush(ObjectKey bd) {
        List<Consumer<ObjectNode>> changes;
        List<Promise<Void>> waiters;
        Pending p;
        synchronized (lock) {
            p = pending.get(bd);
            p.scheduled = false;
            p.writing = true;
            changes = new ArrayList<>(p.changes);
            waiters = new ArrayList<>(p.waiters);
            p.changes.clear();
            p.waiters.clear();
        }
        Throwable failure = null;
        boolean wrote = false;
        try {
            wrote = statusWriter.patchObjectIfChanged(bd, object -> changes.forEach(c -> c.accept(object)),
                    (before, after) -> !withoutSequence(before).equals(withoutSequence(after))).isPresent();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("{}: could not store the BD status of {} reports: {}", bd, changes.size(), e.toString());
        }
        synchronized (lock) {
            p.writing = false;
            if (wrote) {
                p.lastWrite = System.nanoTime();
            }
            if (!p.changes.isEmpty()) {
                schedule(bd, p);
            } else if (System.nanoTime() - p.lastWrite >= intervalNanos) {
                pending.remove(bd); // nothing to hold back any more: forget the BD
            }
        }
        for (Promise<Void> w : waiters) {
            if (failure == null) {
                w.tryComplete();
            } else {
                w.tryFail(failure);
            }
        }
    }

    private static ObjectNode withoutSequence(ObjectNode status) {
        ObjectNode copy = status.deepCopy();
        copy.remove("reportedSequence");
        return copy;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdown();
            writers.shutdown();
            try {
                writers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

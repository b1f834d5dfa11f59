package io.flotilla.manager.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The manager's {@link EventRecorder}: {@link #record} only offers the occurrence to a bounded queue (dropped and
 * counted when full), and one daemon thread correlates ({@link EventCorrelator}) and writes to the {@link EventStore}.
 * A store failure is logged (once per distinct message) and counted, never passed on.
 */
public final class AsyncEventRecorder implements EventRecorder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncEventRecorder.class);
    static final int QUEUE_CAPACITY = 10_000;
    private static final Duration EXPIRE_INTERVAL = Duration.ofSeconds(30);

    private final EventStore store;
    private final Clock clock;
    private final EventCorrelator correlator;
    private final Function<Event.InvolvedObject, String> uids;
    private final BlockingQueue<Event.Draft> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** Queued by {@link #resync}: read the stored events again before what follows. */
    private static final Event.Draft RESYNC = new Event.Draft(Event.EventType.NORMAL, new Event.InvolvedObject("", "", ""),
            "", "");
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private String lastFailure = "";
    private Instant lastExpiry = Instant.EPOCH;

    /**
     * @param uids the uid of an involved object, or "" (Kubernetes tools match events to objects by uid); called on
     *             the recorder's thread
     */
    public AsyncEventRecorder(EventStore store, Clock clock, EventCorrelator.Settings settings,
                              Function<Event.InvolvedObject, String> uids) {
        this.store = store;
        this.clock = clock;
        this.correlator = new EventCorrelator(settings);
        this.uids = uids;
        this.thread = new Thread(this::run, "flotilla-events");
        this.thread.setDaemon(true);
    }

    /** Reads the stored events (so that repeats keep counting) and starts writing. */
    public AsyncEventRecorder start() {
        thread.start();
        return this;
    }

    @Override
    public void record(Event.Draft draft) {
        if (closed || !queue.offer(draft)) {
            long n = dropped.incrementAndGet();
            if (!closed && (n == 1 || n % 1000 == 0)) {
                LOG.warn("Event queue full: {} events dropped so far (latest: {} {} on {})", n, draft.reason(),
                        draft.type().wireName(), draft.involved());
            }
        }
    }

    /**
     * Reads the stored events again before recording what comes next: another manager replica may have written
     * events since (Kubernetes mode, after this replica takes over the lead).
     */
    public void resync() {
        if (!closed && !queue.offer(RESYNC)) {
            dropped.incrementAndGet();
        }
    }

    /** Occurrences dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Store writes that failed. */
    public long failed() {
        return failed.get();
    }

    /** Store writes done (new and repeated events, deletions). */
    public long written() {
        return written.get();
    }

    private void run() {
        restore();
        List<Event.Draft> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Event.Draft first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 255);
                }
            } catch (InterruptedException e) {
                queue.drainTo(batch);
                closed = true;
            }
            for (Event.Draft draft : batch) {
                if (draft == RESYNC) {
                    restore();
                } else {
                    write(draft);
                }
            }
            batch.clear();
            Instant now = clock.instant();
            // the count bound holds at once; the age bound is checked every EXPIRE_INTERVAL
            if (Duration.between(lastExpiry, now).compareTo(EXPIRE_INTERVAL) >= 0 || closed
                    || correlator.size() > correlator.settings().maxEvents()) {
                lastExpiry = now;
                for (Event gone : correlator.expire(now)) {
                    try {
                        store.delete(gone);
                        written.incrementAndGet();
                    } catch (RuntimeException e) {
                        failure("deleting an expired event", e);
                    }
                }
            }
        }
    }

    private void restore() {
        try {
            correlator.reset();
            correlator.restore(store.list(null));
        } catch (RuntimeException e) {
            failure("reading the stored events", e);
        }
    }

    private void write(Event.Draft draft) {
        try {
            Event.Draft withUid = draft;
            if (draft.involved().uid().isEmpty()) {
                String uid = uids.apply(draft.involved());
                if (uid != null && !uid.isEmpty()) {
                    Event.InvolvedObject o = draft.involved();
                    withUid = new Event.Draft(draft.type(), new Event.InvolvedObject(o.kind(), o.namespace(), o.name(), uid),
                            draft.reason(), draft.message());
                }
            }
            Event event = correlator.observe(withUid, clock.instant());
            store.upsert(event);
            written.incrementAndGet();
            LOG.debug("Event {} {} on {}: {} (count {})", event.type().wireName(), event.reason(), event.involved(),
                    event.message(), event.count());
        } catch (RuntimeException e) {
            failure("recording " + draft.reason() + " on " + draft.involved(), e);
        }
    }

    private void failure(String what, RuntimeException e) {
        failed.incrementAndGet();
        String message = String.valueOf(e.getMessage());
        if (!message.equals(lastFailure)) {
            lastFailure = message;
            LOG.warn("Events: {} failed: {} (best effort; the manager carries on)", what, message);
        }
    }

    /** Writes what is queued (at most a few seconds) and stops. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

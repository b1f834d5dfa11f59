package io.flotilla.manager.statusapi;

import io.flotilla.manager.status.StatusKey;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One watcher of the {@link StatusHub}, for a gRPC stream or an SSE response: the snapshot first, then every
 * change. Changes wait in a map keyed by object, so a consumer that cannot keep up (its write queue is full)
 * later gets the latest state of each object, never an unbounded queue. Confined to the transport's context.
 */
final class StatusWatch {
    private final Context context;
    private final StatusHub.Filter filter;
    private final Consumer<StatusHub.Entry> write;
    private final BooleanSupplier writable;
    private final Runnable snapshotEnd;
    private final Map<StatusKey, StatusHub.Entry> pending = new LinkedHashMap<>();
    private final Map<StatusKey, Long> sent = new HashMap<>();
    private Runnable unsubscribe;
    private boolean closed;

    StatusWatch(Context context, StatusHub.Filter filter, Consumer<StatusHub.Entry> write, BooleanSupplier writable,
                Runnable snapshotEnd) {
        this.context = context;
        this.filter = filter;
        this.write = write;
        this.writable = writable;
        this.snapshotEnd = snapshotEnd;
    }

    /** Subscribes first, then sends the snapshot, so no change between the two is lost. */
    void start(StatusHub hub, long sinceVersion) {
        unsubscribe = hub.subscribe(entry -> {
            if (filter.matches(entry.key())) {
                context.runOnContext(v -> offer(entry));
            }
        });
        context.runOnContext(v -> {
            hub.snapshot(filter, sinceVersion).forEach(this::offer);
            drain();
            snapshotEnd.run();
        });
    }

    private void offer(StatusHub.Entry entry) {
        if (closed) {
            return;
        }
        StatusHub.Entry queued = pending.get(entry.key());
        Long last = sent.get(entry.key());
        if ((queued == null || queued.version() < entry.version()) && (last == null || last < entry.version())) {
            pending.remove(entry.key());
            pending.put(entry.key(), entry);
        }
        drain();
    }

    /** Writes what is pending while the transport accepts more; resumed by the transport's drain handler. */
    void drain() {
        if (closed || pending.isEmpty()) {
            return;
        }
        List<StatusHub.Entry> ordered = new ArrayList<>(pending.values());
        ordered.sort(Comparator.comparingLong(StatusHub.Entry::version));
        for (StatusHub.Entry e : ordered) {
            if (!writable.getAsBoolean()) {
                return;
            }
            pending.remove(e.key());
            sent.put(e.key(), e.version());
            write.accept(e);
        }
    }

    void close() {
        closed = true;
        pending.clear();
        if (unsubscribe != null) {
            unsubscribe.run();
        }
    }
}

package io.flotilla.manager.statusapi;

import io.flotilla.manager.status.StatusKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The latest published status of every aggregated object, each with the global version at which it last
 * changed, and the subscribers that want every change. Publishing never blocks: a subscriber gets each
 * change on the publishing thread and must hand it off (the gRPC and SSE watchers keep only the latest
 * state per object for a consumer that cannot keep up).
 */
public final class StatusHub {
    /** One object's published status. {@code json} is the full status; {@code deleted} when the object went away. */
    public record Entry(StatusKey key, long version, String json, boolean deleted) {
    }

    /** What a watcher wants; null fields match everything. */
    public record Filter(java.util.Set<StatusKey.Kind> kinds, String namespace, String name) {
        public boolean matches(StatusKey key) {
            return (kinds == null || kinds.isEmpty() || kinds.contains(key.kind()))
                    && (namespace == null || namespace.isEmpty() || namespace.equals(key.namespace()))
                    && (name == null || name.isEmpty() || name.equals(key.name()));
        }
    }

    private final Map<StatusKey, Entry> latest = new ConcurrentHashMap<>();
    private final List<Consumer<Entry>> subscribers = new CopyOnWriteArrayList<>();
    private volatile long version;

    /** Called by the status controller (one thread) for every change. */
    void publish(StatusKey key, String json, boolean deleted) {
        Entry entry = new Entry(key, ++version, json, deleted);
        if (deleted) {
            latest.remove(key);
        } else {
            latest.put(key, entry);
        }
        subscribers.forEach(s -> s.accept(entry));
    }

    public long version() {
        return version;
    }

    public Entry get(StatusKey key) {
        return latest.get(key);
    }

    /** Current entries matching {@code filter} and newer than {@code sinceVersion}, in version order. */
    public List<Entry> snapshot(Filter filter, long sinceVersion) {
        List<Entry> out = new ArrayList<>();
        latest.values().forEach(e -> {
            if (e.version() > sinceVersion && filter.matches(e.key())) {
                out.add(e);
            }
        });
        out.sort(Comparator.comparingLong(Entry::version));
        return out;
    }

    /** Open subscriptions (status watches). */
    public int subscriberCount() {
        return subscribers.size();
    }

    /** Registers a listener of every later change; returns the handle to remove it. */
    public Runnable subscribe(Consumer<Entry> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }
}

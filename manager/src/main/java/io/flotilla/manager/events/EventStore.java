package io.flotilla.manager.events;

import java.util.List;

/**
 * Where events are kept: a map of the embedded store's file, or native {@code core/v1} Events in Kubernetes mode.
 * Blocking; called from the recorder's own thread (writes) and the worker pool (reads), never from an event loop.
 */
public interface EventStore {

    /** Stores a new event or replaces the one of the same namespace and name (its count and times changed). */
    void upsert(Event event);

    /** Deletes the event; absent is fine. */
    void delete(Event event);

    /** Events of {@code namespace} (null: every namespace), in no particular order. */
    List<Event> list(String namespace);
}

package io.flotilla.manager.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.manager.events.Event;
import io.flotilla.manager.events.EventJson;
import io.flotilla.manager.events.EventStore;
import org.h2.mvstore.MVMap;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Events of the embedded store: map {@code events} of the store file, key {@code namespace/name}, value the
 * {@code core/v1} Event JSON. Writes are not committed one by one (events are best effort): they become durable with
 * the store's next commit, and at most every {@link #COMMIT_INTERVAL_NANOS} through {@link MvStoreStore#commitPending}.
 */
public final class MvEventStore implements EventStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final long COMMIT_INTERVAL_NANOS = 5_000_000_000L;
    private final MvStoreStore store;
    private final MVMap<String, String> events;
    private long lastCommit = System.nanoTime();

    public MvEventStore(MvStoreStore store) {
        this.store = store;
        this.events = store.sideMap("events");
    }

    @Override
    public void upsert(Event event) {
        try {
            events.put(key(event), MAPPER.writeValueAsString(EventJson.toJson(event)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        commitIfDue();
    }

    @Override
    public void delete(Event event) {
        events.remove(key(event));
        commitIfDue();
    }

    @Override
    public List<Event> list(String namespace) {
        List<Event> out = new ArrayList<>();
        String prefix = namespace == null ? "" : namespace + "/";
        for (org.h2.mvstore.Cursor<String, String> it = events.cursor(prefix.isEmpty() ? null : prefix); it.hasNext(); ) {
            String key = it.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            try {
                out.add(EventJson.fromJson(MAPPER.readTree(it.getValue())));
            } catch (JsonProcessingException | RuntimeException e) {
                // an unreadable entry is skipped: events are informational
            }
        }
        return out;
    }

    private void commitIfDue() {
        long now = System.nanoTime();
        if (now - lastCommit >= COMMIT_INTERVAL_NANOS) {
            lastCommit = now;
            store.commitPending();
        }
    }

    private static String key(Event e) {
        return e.namespace() + "/" + e.name();
    }
}

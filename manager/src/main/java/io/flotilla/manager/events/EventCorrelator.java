package io.flotilla.manager.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns reported occurrences into stored Events the way Kubernetes' event correlator does, as pure logic:
 * <ul>
 *   <li><b>Deduplication</b>: an occurrence identical to a kept event (same type, involved object, reason and
 *   message) increments that event's {@code count} and moves its {@code lastTimestamp}; nothing new is stored.</li>
 *   <li><b>Similar events</b>: once an object has had {@code maxSimilar} distinct messages for one type and reason
 *   within {@code similarWindow}, further new messages go into one event whose message starts with
 *   {@value #COMBINED_PREFIX} (and shows the latest), so a flapping object cannot flood the store.</li>
 *   <li><b>Retention</b>: {@link #expire} drops events last seen more than {@code maxAge} ago and, beyond
 *   {@code maxEvents}, the least recently seen.</li>
 * </ul>
 * Not thread-safe: one thread (the recorder's) drives it.
 */
public final class EventCorrelator {
    public static final String COMBINED_PREFIX = "(combined from similar events): ";
    /** Kubernetes trims event messages too; a long apply error is still readable at this length. */
    public static final int MAX_MESSAGE_LENGTH = 1024;

    /** Retention and aggregation bounds. */
    public record Settings(int maxEvents, Duration maxAge, int maxSimilar, Duration similarWindow) {
        /** 1,000 events of at most an hour (kube-apiserver's default event TTL), 10 distinct messages per 10 minutes. */
        public static final Settings DEFAULTS = new Settings(1000, Duration.ofHours(1), 10, Duration.ofMinutes(10));
    }

    private final Settings settings;
    /** Deduplication key → the kept event. */
    private final Map<String, Event> events = new HashMap<>();
    /** Type+object+reason → the distinct messages seen in the current window. */
    private final Map<String, Similar> similar = new HashMap<>();
    private long sequence;

    private static final class Similar {
        final Instant windowStart;
        final Set<String> messages = new LinkedHashSet<>();

        Similar(Instant windowStart) {
            this.windowStart = windowStart;
        }
    }

    public EventCorrelator(Settings settings) {
        this.settings = settings;
    }

    /** Forgets everything (before a {@link #restore} from the store, which another writer may have changed). */
    public void reset() {
        events.clear();
        similar.clear();
    }

    /** Takes back events stored earlier (after a restart), so that repeats keep counting on them. */
    public void restore(Collection<Event> stored) {
        for (Event e : stored) {
            String key = e.message().startsWith(COMBINED_PREFIX) ? combinedKey(e.type(), e.involved(), e.reason())
                    : key(e.type(), e.involved(), e.reason(), e.message());
            Event kept = events.get(key);
            if (kept == null || kept.lastTimestamp().isBefore(e.lastTimestamp())) {
                events.put(key, e);
            }
        }
    }

    /** The event to store for this occurrence at {@code now}: a new one, or a kept one counted once more. */
    public Event observe(Event.Draft draft, Instant now) {
        String message = trim(draft.message());
        String key = key(draft.type(), draft.involved(), draft.reason(), message);
        Event kept = events.get(key);
        if (kept != null) {
            return keep(key, kept.repeated(message, now));
        }
        String aggregate = aggregateKey(draft.type(), draft.involved(), draft.reason());
        Similar window = similar.get(aggregate);
        if (window == null || Duration.between(window.windowStart, now).compareTo(settings.similarWindow()) > 0) {
            window = new Similar(now);
            similar.put(aggregate, window);
        }
        if (window.messages.size() >= settings.maxSimilar() && !window.messages.contains(message)) {
            String combinedKey = combinedKey(draft.type(), draft.involved(), draft.reason());
            String combinedMessage = trim(COMBINED_PREFIX + message);
            Event combined = events.get(combinedKey);
            return keep(combinedKey, combined != null ? combined.repeated(combinedMessage, now)
                    : fresh(draft, combinedMessage, now));
        }
        window.messages.add(message);
        return keep(key, fresh(draft, message, now));
    }

    /**
     * Forgets and returns the events to delete at {@code now}: last seen more than {@code maxAge} ago, then the
     * least recently seen beyond {@code maxEvents}.
     */
    public List<Event> expire(Instant now) {
        List<Event> gone = new ArrayList<>();
        Instant oldest = now.minus(settings.maxAge());
        events.entrySet().removeIf(e -> {
            if (e.getValue().lastTimestamp().isBefore(oldest)) {
                gone.add(e.getValue());
                return true;
            }
            return false;
        });
        if (events.size() > settings.maxEvents()) {
            List<Map.Entry<String, Event>> byAge = new ArrayList<>(events.entrySet());
            byAge.sort(Comparator.comparing((Map.Entry<String, Event> e) -> e.getValue().lastTimestamp())
                    .thenComparing(e -> e.getValue().name()));
            for (Map.Entry<String, Event> e : byAge.subList(0, events.size() - settings.maxEvents())) {
                gone.add(e.getValue());
                events.remove(e.getKey());
            }
        }
        similar.values().removeIf(w -> Duration.between(w.windowStart, now).compareTo(settings.similarWindow()) > 0);
        return gone;
    }

    /** How many events are kept. */
    public int size() {
        return events.size();
    }

    public Settings settings() {
        return settings;
    }

    /** The kept events, most recently seen first. */
    public List<Event> events() {
        List<Event> all = new ArrayList<>(events.values());
        all.sort(Comparator.comparing(Event::lastTimestamp).reversed().thenComparing(Event::name));
        return all;
    }

    private Event keep(String key, Event event) {
        events.put(key, event);
        return event;
    }

    /** Named as Kubernetes names events: {@code <object>.<hex time>}, plus a sequence so that one instant gives unique names. */
    private Event fresh(Event.Draft draft, String message, Instant now) {
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        String name = draft.involved().name() + "." + Long.toHexString(nanos) + String.format("%03x", sequence++ & 0xfff);
        if (name.length() > 253) {
            name = name.substring(name.length() - 253).replaceAll("^[^a-z0-9]+", "");
        }
        return new Event(draft.involved().namespace(), name, draft.type(), draft.reason(), message, draft.involved(), 1,
                now, now);
    }

    static String trim(String message) {
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }

    private static String aggregateKey(Event.EventType type, Event.InvolvedObject o, String reason) {
        return type + "\u0000" + o.kind() + "\u0000" + o.namespace() + "\u0000" + o.name() + "\u0000" + reason;
    }

    private static String key(Event.EventType type, Event.InvolvedObject o, String reason, String message) {
        return aggregateKey(type, o, reason) + "\u0000" + message;
    }

    private static String combinedKey(Event.EventType type, Event.InvolvedObject o, String reason) {
        return aggregateKey(type, o, reason) + "\u0001combined";
    }
}

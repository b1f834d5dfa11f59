package io.flotilla.manager.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One Kubernetes-style Event ({@code core/v1 Event} fields): what happened to which object, how often, first and last
 * time. {@code name} and {@code namespace} are the Event's own (the namespace is the involved object's).
 */
public record Event(String namespace, String name, EventType type, String reason, String message,
                   InvolvedObject involved, int count, Instant firstTimestamp, Instant lastTimestamp) {

    public Event {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        message = message == null ? "" : message;
        Objects.requireNonNull(involved, "involved");
        Objects.requireNonNull(firstTimestamp, "firstTimestamp");
        Objects.requireNonNull(lastTimestamp, "lastTimestamp");
    }

    /** The same event seen once more at {@code now} (with {@code message}, which may differ for a combined event). */
    Event repeated(String newMessage, Instant now) {
        return new Event(namespace, name, type, reason, newMessage, involved, count + 1, firstTimestamp, now);
    }

    /** {@code Normal} or {@code Warning}, as in Kubernetes. */
    public enum EventType {
        NORMAL("Normal"), WARNING("Warning");

        private final String wireName;

        EventType(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static EventType of(String wireName) {
            return "Warning".equals(wireName) ? WARNING : NORMAL;
        }
    }

    /** The object an event is about: kind ({@code GitRepo}), namespace, name, and its uid when known (or empty). */
    public record InvolvedObject(String kind, String namespace, String name, String uid) {
        public InvolvedObject {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            uid = uid == null ? "" : uid;
        }

        public InvolvedObject(String kind, String namespace, String name) {
            this(kind, namespace, name, "");
        }

        @Override
        public String toString() {
            return kind + " " + namespace + "/" + name;
        }
    }

    /** What a controller reports; the correlator turns it into a new or repeated {@link Event}. */
    public record Draft(EventType type, InvolvedObject involved, String reason, String message) {
        public Draft {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(involved, "involved");
            Objects.requireNonNull(reason, "reason");
            message = message == null ? "" : message;
        }
    }
}

package io.flotilla.manager.events;

/**
 * What controllers call to tell users what happened. Never blocks and never throws: recording is best effort, and a
 * controller's work never waits for, or fails because of, an event.
 */
public interface EventRecorder {

    void record(Event.Draft draft);

    default void normal(String kind, String namespace, String name, String reason, String message) {
        record(new Event.Draft(Event.EventType.NORMAL, new Event.InvolvedObject(kind, namespace, name), reason, message));
    }

    default void warning(String kind, String namespace, String name, String reason, String message) {
        record(new Event.Draft(Event.EventType.WARNING, new Event.InvolvedObject(kind, namespace, name), reason, message));
    }

    /** Records nothing (tests and tools that build a controller alone). */
    EventRecorder NONE = draft -> { };
}

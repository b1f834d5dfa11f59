package io.flotilla.agent.readiness;

import java.util.List;

/**
 * Summary of one live object (fleet-semantics §7.3): a lower-case state such as {@code active},
 * {@code in-progress}, {@code updating} or {@code error}; whether it is in error or still transitioning; and
 * the messages that explain why.
 */
public record ObjectSummary(String state, boolean error, boolean transitioning, List<String> messages) {

    public ObjectSummary {
        messages = List.copyOf(messages);
    }

    /** Ready iff neither in error nor transitioning. */
    public boolean ready() {
        return !error && !transitioning;
    }

    /**
     * The §7.4 summary string: the state when ready, else {@code [progressing]}, {@code [progressing,error]} or
     * {@code [error]} followed by the messages joined with ", ". (Fleet renders an error-only summary as
     * {@code error]}; see docs/fleet-compatibility.md.)
     */
    public String display() {
        if (!transitioning && !error) {
            return state;
        }
        String flags = transitioning && error ? "[progressing,error]" : transitioning ? "[progressing]" : "[error]";
        return messages.isEmpty() ? flags : flags + " " + String.join(", ", messages);
    }
}

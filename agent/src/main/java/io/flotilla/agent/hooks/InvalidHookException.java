package io.flotilla.agent.hooks;

import io.flotilla.agent.model.ObjectRef;

/** A hook annotation that cannot be read; the message names the object. */
public final class InvalidHookException extends IllegalArgumentException {
    private final transient ObjectRef ref;

    public InvalidHookException(ObjectRef ref, String message) {
        super(message);
        this.ref = ref;
    }

    public ObjectRef ref() {
        return ref;
    }
}

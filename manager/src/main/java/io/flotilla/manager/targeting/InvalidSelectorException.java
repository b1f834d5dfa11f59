package io.flotilla.manager.targeting;

/** A label selector that Kubernetes would reject; the message names the offending key, value or operator. */
public final class InvalidSelectorException extends IllegalArgumentException {

    public InvalidSelectorException(String message) {
        super(message);
    }
}

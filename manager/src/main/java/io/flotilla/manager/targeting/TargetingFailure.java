package io.flotilla.manager.targeting;

/** Targeting of a bundle cannot proceed; the message is the bundle's targeting error. */
final class TargetingFailure extends RuntimeException {

    TargetingFailure(String message) {
        super(message, null, false, false);
    }
}

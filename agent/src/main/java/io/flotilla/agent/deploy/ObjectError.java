package io.flotilla.agent.deploy;

import io.flotilla.agent.model.ObjectRef;
import java.util.Locale;

/** An object the agent could not apply or delete, with the API server's message and HTTP code (0 if none). */
public record ObjectError(ObjectRef ref, int code, String message) {

    /**
     * Errors the object itself causes and the other §7.1 "known" failures (a Helm hook that timed out): the BD
     * becomes NotReady, not ErrApplied.
     */
    public boolean objectInvalid() {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("denied request") || m.contains("denied the request")) {
            return false; // admission policy or webhook: the cluster refuses, the object is not malformed
        }
        return code == 422 || m.contains("field is immutable") || m.contains("unknown field")
                || m.contains("error validating") || m.contains(HookRunner.TIMED_OUT);
    }

    @Override
    public String toString() {
        return message;
    }
}

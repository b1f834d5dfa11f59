package io.flotilla.agent.hooks;

import java.util.Locale;
import java.util.Optional;

/** The values of {@code helm.sh/hook-delete-policy}. */
public enum DeletePolicy {
    /** Delete an existing object of the hook's name before creating it (Helm's default when no policy is given). */
    BEFORE_HOOK_CREATION("before-hook-creation"),
    /** Delete the hook once every hook of its phase succeeded. */
    HOOK_SUCCEEDED("hook-succeeded"),
    /** Delete the hook when it failed. */
    HOOK_FAILED("hook-failed");

    private final String value;

    DeletePolicy(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The policy an annotation entry names (trimmed, case-insensitive), empty for an unknown one. */
    public static Optional<DeletePolicy> parse(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        for (DeletePolicy policy : values()) {
            if (policy.value.equals(v)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}

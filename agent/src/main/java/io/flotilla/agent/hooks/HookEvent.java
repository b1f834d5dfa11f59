package io.flotilla.agent.hooks;

import java.util.Locale;
import java.util.Optional;

/** The values of {@code helm.sh/hook} (Helm 3's events plus the test aliases it and Helm 2 know). */
public enum HookEvent {
    PRE_INSTALL("pre-install"),
    POST_INSTALL("post-install"),
    PRE_UPGRADE("pre-upgrade"),
    POST_UPGRADE("post-upgrade"),
    PRE_DELETE("pre-delete"),
    POST_DELETE("post-delete"),
    PRE_ROLLBACK("pre-rollback"),
    POST_ROLLBACK("post-rollback"),
    /** {@code test}, {@code test-success} and Helm 2's {@code test-failure}: run by {@code helm test}, never here. */
    TEST("test");

    private final String value;

    HookEvent(String value) {
        this.value = value;
    }

    /** The annotation value, e.g. {@code pre-install}. */
    public String value() {
        return value;
    }

    /** The event an annotation entry names (trimmed, case-insensitive), empty for an unknown one. */
    public static Optional<HookEvent> parse(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.equals("test-success") || v.equals("test-failure")) {
            return Optional.of(TEST);
        }
        for (HookEvent event : values()) {
            if (event.value.equals(v)) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}

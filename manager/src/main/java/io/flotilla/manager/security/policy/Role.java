package io.flotilla.manager.security.policy;

import java.util.Locale;

/** What a person or tool may do through REST, SSE and the Status service. */
public enum Role {
    /** Everything the API offers (never the manager's own credential material). */
    ADMIN,
    /** Read-only, and never Secrets or user tokens. */
    VIEWER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code admin} or {@code viewer}, any case. */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role \"" + text + "\" (admin, viewer)");
    }
}

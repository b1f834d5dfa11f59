package io.flotilla.manager.security;

import io.flotilla.manager.security.policy.Identity;

import io.vertx.core.Future;

/**
 * Turns the bearer token of a REST, SSE or Status-service request into an {@link Identity}. Implementations must
 * not block the calling event loop (store look-ups run on a worker pool; a Kubernetes TokenReview is an HTTP call).
 * Agents do not come through here: they use registration tokens and per-cluster credentials.
 */
public interface Authenticator {
    /**
     * @param bearerToken the token after {@code Bearer }, never null or blank
     * @return the identity, or a failed future with {@link AuthenticationFailed} whose message says why (never
     *         containing the token)
     */
    Future<Identity> authenticate(String bearerToken);

    /** A token that is malformed, unknown, revoked or expired. */
    final class AuthenticationFailed extends RuntimeException {
        public AuthenticationFailed(String message) {
            super(message, null, false, false);
        }
    }
}

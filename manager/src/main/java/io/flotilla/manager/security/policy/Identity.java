package io.flotilla.manager.security.policy;

/**
 * Who made a request, as an {@link Authenticator} established it.
 *
 * @param name the user token's name (or the Kubernetes user name, for a TokenReview authenticator)
 * @param role what it may do
 */
public record Identity(String name, Role role) {
}

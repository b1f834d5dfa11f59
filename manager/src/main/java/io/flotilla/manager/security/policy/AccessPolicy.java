package io.flotilla.manager.security.policy;

import io.flotilla.manager.security.policy.ApiRequest.Verb;

/**
 * Who may do what, as pure logic: {@code admin} may do everything the API offers; {@code viewer} may read, but never
 * Secrets or user tokens. Nobody reaches the manager's own credential material ({@link CredentialSecrets}). Every
 * authenticated identity may ask who it is ({@code /auth/v1/whoami}).
 */
public final class AccessPolicy {
    private AccessPolicy() {
    }

    /** The outcome; {@code reason} is shown to the caller when refused. */
    public record Decision(boolean allowed, String reason) {
        static Decision allow() {
            return new Decision(true, null);
        }

        static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }

    public static Decision decide(Identity who, ApiRequest request) {
        Decision reserved = reserved(request);
        if (reserved != null) {
            return reserved;
        }
        if ("whoami".equals(request.resource())) {
            return Decision.allow();
        }
        if (who.role() == null) {
            return Decision.deny("\"" + who.name() + "\" is judged by the Kubernetes API's RBAC, not by a manager role");
        }
        return switch (who.role()) {
            case ADMIN -> Decision.allow();
            case VIEWER -> viewer(who, request);
        };
    }

    /** What nobody may do, whatever their role or RBAC: reach the manager's credential material. Null: no objection. */
    public static Decision reserved(ApiRequest request) {
        if ("secrets".equals(request.resource()) && request.name() != null
                && CredentialSecrets.isReserved(request.namespace(), request.name())) {
            return Decision.deny("secret " + request.namespace() + "/" + request.name()
                    + " is the manager's own credential material and is not available through the API");
        }
        if ("secrets".equals(request.resource()) && CredentialSecrets.SYSTEM_NAMESPACE.equals(request.namespace())) {
            return Decision.deny("namespace " + CredentialSecrets.SYSTEM_NAMESPACE
                    + " holds the manager's own credential material and is not available through the API");
        }
        return null;
    }

    private static Decision viewer(Identity who, ApiRequest request) {
        String refused = "\"" + who.name() + "\" (role viewer) may not " + request.describe();
        if ("secrets".equals(request.resource()) || ApiRequest.USER_TOKENS.equals(request.resource())) {
            return Decision.deny(refused + ": viewers never see credentials");
        }
        Verb verb = request.verb();
        if (!verb.readOnly()) {
            return Decision.deny(refused + ": viewers may only read; ask an admin");
        }
        return Decision.allow();
    }
}

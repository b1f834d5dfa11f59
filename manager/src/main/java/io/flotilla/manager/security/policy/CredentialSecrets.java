package io.flotilla.manager.security.policy;

/**
 * The manager's own credential material: hashes of registration tokens ({@code flotilla-token-<name>}), of agent
 * credentials ({@code flotilla-agent-<cluster>}) and of user tokens (namespace {@value #SYSTEM_NAMESPACE}). It is
 * stored as Secrets but is not readable or writable through the public API at all. Pure.
 */
public final class CredentialSecrets {
    /** Where the manager keeps credential material that belongs to no user namespace (user tokens). */
    public static final String SYSTEM_NAMESPACE = "flotilla-system";
    public static final String TOKEN_PREFIX = "flotilla-token-";
    public static final String AGENT_PREFIX = "flotilla-agent-";
    public static final String USER_PREFIX = "flotilla-user-";

    private CredentialSecrets() {
    }

    public static boolean isReserved(String namespace, String name) {
        return SYSTEM_NAMESPACE.equals(namespace)
                || name != null && (name.startsWith(TOKEN_PREFIX) || name.startsWith(AGENT_PREFIX));
    }

    public static String registrationTokenSecret(String tokenName) {
        return TOKEN_PREFIX + tokenName;
    }

    public static String agentCredentialSecret(String clusterName) {
        return AGENT_PREFIX + clusterName;
    }

    public static String userTokenSecret(String userTokenName) {
        return USER_PREFIX + userTokenName;
    }
}

package io.flotilla.manager.security;

import io.flotilla.manager.registration.SecretData;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiError;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.api.Validation;
import io.flotilla.manager.registration.Secrets;
import io.flotilla.manager.security.policy.CredentialSecrets;
import io.flotilla.manager.security.policy.Identity;
import io.flotilla.manager.security.policy.Role;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens of people and tools ({@code flu1.<name>.<secret>}), each with a role. Only the SHA-256 of the secret
 * is stored, in Secret {@code flotilla-system/flotilla-user-<name>}, which the public API never serves. A token is
 * looked up by its name (one key read, never a scan). Blocking (store I/O): call from a worker thread.
 */
public final class UserTokens {
    private static final Logger LOG = LoggerFactory.getLogger(UserTokens.class);
    public static final String PREFIX = "flu1.";
    /** The token the manager creates for itself on first start. */
    public static final String BOOTSTRAP_ADMIN = "admin";
    static final String LABEL = "flotilla.io/user-token";

    private final Store store;
    private final Clock clock;

    public UserTokens(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A token as listed: never its secret or hash. */
    public record Info(String name, Role role, String createdAt, String expiresAt) {
    }

    /** A created token; {@code token} is shown this once. */
    public record Issued(Info info, String token) {
    }

    /**
     * Creates a token.
     *
     * @param ttl null for a token that does not expire
     * @throws ApiError 422 for a bad name, 409 when the name is taken
     */
    public Issued create(String name, Role role, Duration ttl) {
        Validation.checkLabel("name", name);
        String secret = Secrets.newSecret();
        ObjectNode object = Json.newObject(Kind.SECRET, CredentialSecrets.SYSTEM_NAMESPACE, CredentialSecrets.userTokenSecret(name));
        Json.metadata(object).set("labels", Json.MAPPER.valueToTree(Map.of(LABEL, name)));
        ObjectNode data = object.putObject("data");
        SecretData.put(data, "hash", Secrets.hash(secret));
        SecretData.put(data, "role", role.label());
        String expires = ttl == null ? null : clock.instant().plus(ttl).toString();
        if (expires != null) {
            SecretData.put(data, "expiresAt", expires);
        }
        ObjectNode created;
        try {
            created = store.create(object);
        } catch (StoreException.AlreadyExists e) {
            throw new ApiError(409, "AlreadyExists", null, "user token \"" + name
                    + "\" already exists; revoke it first or choose another name");
        }
        LOG.info("User token {} created (role {}{})", name, role.label(), expires == null ? "" : ", expires " + expires);
        return new Issued(info(created), PREFIX + name + "." + secret);
    }

    /** Deletes the token; true when there was one. Requests made with it are refused from now on. */
    public boolean revoke(String name) {
        boolean existed = store.delete(key(name), null).isPresent();
        if (existed) {
            LOG.info("User token {} revoked", name);
        }
        return existed;
    }

    public boolean exists(String name) {
        return store.get(key(name)).isPresent();
    }

    public List<Info> list() {
        return store.list(Kind.SECRET, CredentialSecrets.SYSTEM_NAMESPACE).stream()
                .filter(s -> Json.labels(s).containsKey(LABEL))
                .map(UserTokens::info)
                .toList();
    }

    /** The identity a token stands for; one store read by key. */
    public Identity authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            throw new Authenticator.AuthenticationFailed("malformed bearer token: expected a user token (flu1.…) as "
                    + "printed by 'flotilla user-token create' or found in the client config");
        }
        String rest = token.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || dot == rest.length() - 1) {
            throw new Authenticator.AuthenticationFailed("malformed bearer token: expected flu1.<name>.<secret>");
        }
        String name = rest.substring(0, dot);
        Optional<ObjectNode> stored = name.length() > 63 ? Optional.empty() : store.get(key(name));
        if (stored.isEmpty()) {
            throw new Authenticator.AuthenticationFailed("unknown or revoked user token \"" + name + "\"");
        }
        ObjectNode data = (ObjectNode) stored.get().path("data");
        if (!Secrets.matches(rest.substring(dot + 1), SecretData.get(data, "hash"))) {
            throw new Authenticator.AuthenticationFailed("user token \"" + name + "\" is wrong (its secret part does not match)");
        }
        String expires = SecretData.get(data, "expiresAt");
        if (expires != null && !clock.instant().isBefore(Instant.parse(expires))) {
            throw new Authenticator.AuthenticationFailed("user token \"" + name + "\" expired at " + expires);
        }
        return new Identity(name, Role.parse(SecretData.get(data, "role")));
    }

    private static ObjectKey key(String name) {
        return new ObjectKey(Kind.SECRET, CredentialSecrets.SYSTEM_NAMESPACE, CredentialSecrets.userTokenSecret(name));
    }

    private static Info info(ObjectNode secret) {
        ObjectNode data = (ObjectNode) secret.path("data");
        return new Info(Json.labels(secret).get(LABEL), Role.parse(SecretData.get(data, "role")),
                Json.text(secret.path("metadata"), "creationTimestamp"), SecretData.get(data, "expiresAt"));
    }
}

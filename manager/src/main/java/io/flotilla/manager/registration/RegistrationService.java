package io.flotilla.manager.registration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiError;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.api.Validation;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Registration tokens and per-cluster agent credentials. Only SHA-256 hashes are stored, in
 * {@code Secret} objects the API never reveals. Token format {@code flt1.<namespace>.<name>.<secret>},
 * credential format {@code flc1.<secret>}. Blocking (store I/O): call from a worker thread.
 */
public final class RegistrationService {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationService.class);
    static final String TOKEN_PREFIX = "flt1.";
    static final String CREDENTIAL_PREFIX = "flc1.";
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(12);
    public static final String CREDENTIAL_LABEL = "flotilla.io/agent-credential";

    private final Store store;
    private final Clock clock;

    public RegistrationService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A created token: the stored object and the token value, which is shown this once. */
    public record IssuedToken(ObjectNode object, String token) {
    }

    /** Creates (or replaces the secret of) a ClusterRegistrationToken object that has just been validated. */
    public IssuedToken issueToken(ObjectNode tokenObject) {
        String ns = Json.namespace(tokenObject);
        String name = Json.name(tokenObject);
        if (name.contains(".")) {
            throw ApiError.invalid("metadata.name", "a registration token name may not contain '.'");
        }
        String ttlText = Json.text(tokenObject.path("spec"), "ttl");
        Duration ttl = ttlText == null ? DEFAULT_TOKEN_TTL : Validation.parseDuration("spec.ttl", ttlText);
        String secret = Secrets.newSecret();
        ObjectNode created = store.create(tokenObject);
        Instant expires = clock.instant().plus(ttl);
        ObjectNode status = Json.status(created);
        status.put("expiresAt", expires.toString());
        created = store.updateStatus(created);
        putHash(ns, tokenSecretName(name), Secrets.hash(secret), Map.of());
        LOG.info("ClusterRegistrationToken {}/{} created, expires at {}", ns, name, expires);
        return new IssuedToken(created, TOKEN_PREFIX + ns + "." + name + "." + secret);
    }

    /** Removes the hash that belongs to a deleted token. */
    public void forgetToken(String namespace, String name) {
        store.delete(new ObjectKey(Kind.SECRET, namespace, tokenSecretName(name)), null);
    }

    /** The outcome of a successful registration: where the Cluster lives and its new credential. */
    public record Registration(String clusterNamespace, String clusterName, String credential) {
    }

    /** Checks the token, creates or re-finds the Cluster with these labels, and issues a new credential. */
    public Registration register(String token, String clusterName, Map<String, String> labels) {
        String[] parts = token == null ? new String[0] : token.split("\\.", 4);
        if (parts.length != 4 || !(parts[0] + ".").equals(TOKEN_PREFIX)) {
            throw new AuthException(AuthException.Code.UNAUTHENTICATED,
                    "malformed registration token: expected the value printed by 'flotilla token create'");
        }
        String ns = parts[1];
        String tokenName = parts[2];
        ObjectNode tokenObject = store.get(new ObjectKey(Kind.CLUSTER_REGISTRATION_TOKEN, ns, tokenName))
                .orElseThrow(() -> new AuthException(AuthException.Code.UNAUTHENTICATED,
                        "registration token " + ns + "/" + tokenName + " does not exist (deleted or never created)"));
        String expiresAt = Json.text(tokenObject.path("status"), "expiresAt");
        if (expiresAt == null || !clock.instant().isBefore(Instant.parse(expiresAt))) {
            throw new AuthException(AuthException.Code.UNAUTHENTICATED,
                    "registration token " + ns + "/" + tokenName + " expired at " + expiresAt + "; create a new one");
        }
        if (!Secrets.matches(parts[3], storedHash(ns, tokenSecretName(tokenName)).orElse(null))) {
            throw new AuthException(AuthException.Code.UNAUTHENTICATED,
                    "registration token " + ns + "/" + tokenName + " is wrong (its secret part does not match)");
        }
        try {
            Validation.checkLabel("clusterName", clusterName);
            Validation.checkLabels("labels", Json.MAPPER.valueToTree(labels));
        } catch (ApiError e) {
            throw new AuthException(AuthException.Code.INVALID_ARGUMENT, e.getMessage());
        }
        upsertCluster(ns, clusterName, labels);
        String secret = Secrets.newSecret();
        putHash(ns, credentialSecretName(clusterName), Secrets.hash(secret), Map.of(CREDENTIAL_LABEL, clusterName));
        LOG.info("Cluster {}/{} registered with token {} and labels {}", ns, clusterName, tokenName, labels);
        return new Registration(ns, clusterName, CREDENTIAL_PREFIX + secret);
    }

    /**
     * Checks a credential presented on connect for cluster {@code namespace/name}.
     *
     * @throws AuthException UNAUTHENTICATED for an unknown credential, PERMISSION_DENIED for another cluster's
     */
    public void authenticate(String namespace, String clusterName, String credential) {
        if (credential == null || !credential.startsWith(CREDENTIAL_PREFIX)) {
            throw new AuthException(AuthException.Code.UNAUTHENTICATED,
                    "missing or malformed cluster credential: register the agent with a registration token first");
        }
        String secret = credential.substring(CREDENTIAL_PREFIX.length());
        Optional<String> own = storedHash(namespace, credentialSecretName(clusterName));
        if (own.isPresent() && Secrets.matches(secret, own.get())) {
            return;
        }
        String hash = Secrets.hash(secret);
        for (ObjectNode s : store.list(Kind.SECRET, null)) {
            String owner = Json.labels(s).get(CREDENTIAL_LABEL);
            if (owner != null && hash.equals(Json.text(s.path("data"), "hash"))) {
                throw new AuthException(AuthException.Code.PERMISSION_DENIED, "this credential belongs to cluster "
                        + Json.namespace(s) + "/" + owner + " and may not act for cluster " + namespace + "/" + clusterName);
            }
        }
        throw new AuthException(AuthException.Code.UNAUTHENTICATED, "unknown or revoked credential for cluster "
                + namespace + "/" + clusterName + ": register the agent again with a registration token");
    }

    private void upsertCluster(String ns, String name, Map<String, String> labels) {
        ObjectKey key = new ObjectKey(Kind.CLUSTER, ns, name);
        for (int attempt = 0; ; attempt++) {
            Optional<ObjectNode> existing = store.get(key);
            try {
                if (existing.isEmpty()) {
                    ObjectNode cluster = Json.newObject(Kind.CLUSTER, ns, name);
                    Json.metadata(cluster).set("labels", Json.MAPPER.valueToTree(labels));
                    cluster.putObject("spec");
                    store.create(cluster);
                } else {
                    ObjectNode cluster = existing.get();
                    Json.metadata(cluster).set("labels", Json.MAPPER.valueToTree(labels));
                    store.update(cluster);
                }
                return;
            } catch (StoreException.Conflict | StoreException.AlreadyExists e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private Optional<String> storedHash(String ns, String secretName) {
        return store.get(new ObjectKey(Kind.SECRET, ns, secretName)).map(s -> Json.text(s.path("data"), "hash"));
    }

    private void putHash(String ns, String secretName, String hash, Map<String, String> labels) {
        ObjectNode secret = Json.newObject(Kind.SECRET, ns, secretName);
        if (!labels.isEmpty()) {
            Json.metadata(secret).set("labels", Json.MAPPER.valueToTree(labels));
        }
        secret.putObject("data").put("hash", hash);
        Optional<ObjectNode> existing = store.get(new ObjectKey(Kind.SECRET, ns, secretName));
        if (existing.isPresent()) {
            store.update(secret);
        } else {
            store.create(secret);
        }
    }

    static String tokenSecretName(String tokenName) {
        return "flotilla-token-" + tokenName;
    }

    static String credentialSecretName(String clusterName) {
        return "flotilla-agent-" + clusterName;
    }
}

package io.flotilla.manager.registration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiError;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.api.Validation;
import io.flotilla.manager.security.policy.CredentialSecrets;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registration tokens and per-cluster agent credentials. Only SHA-256 hashes are stored, in {@code Secret} objects
 * the API never reveals. Token format {@code flt1.<namespace>.<name>.<secret>[.<ca-pin>]} (the pin: hex SHA-256 of
 * the manager CA's public key, so an agent trusts the manager it registers with and no other); credential format
 * {@code flc2.<namespace>.<cluster>.<secret>} (older {@code flc1.<secret>} credentials still work for their
 * cluster). Every look-up is by key: an unknown credential costs one read, never a scan. Blocking (store I/O): call
 * from a worker thread.
 */
public final class RegistrationService {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationService.class);
    static final String TOKEN_PREFIX = "flt1.";
    static final String LEGACY_CREDENTIAL_PREFIX = "flc1.";
    static final String CREDENTIAL_PREFIX = "flc2.";
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(12);
    public static final String CREDENTIAL_LABEL = "flotilla.io/agent-credential";
    /** Set to {@code "true"} on a Cluster by an admin: its next registration may replace the current credential. */
    public static final String ALLOW_REREGISTRATION = "flotilla.io/allow-re-registration";
    /** Label keys an agent may not propose: they are the manager's (and an agent must not target itself by them). */
    static final String RESERVED_LABEL_DOMAIN = "flotilla.io";

    private final Store store;
    private final Clock clock;
    private final String caPin;

    /** @param caPin {@code sha256:<hex>} of the manager's CA, carried by every token; null when serving cleartext */
    public RegistrationService(Store store, Clock clock, String caPin) {
        this.store = store;
        this.clock = clock;
        this.caPin = caPin;
    }

    public RegistrationService(Store store, Clock clock) {
        this(store, clock, null);
    }

    /** A created token: the stored object and the token value, which is shown this once. */
    public record IssuedToken(ObjectNode object, String token) {
    }

    /**
     * Annotation of a token created through the manager's API, whose value is shown once in the answer; a token
     * created in the store directly ({@code kubectl apply} in Kubernetes mode) has none and gets a Secret instead.
     */
    public static final String SHOWN_ONCE_ANNOTATION = "flotilla.io/token-shown-once";
    /** Label of the Secret that holds the value of a token created with {@code kubectl apply}. */
    public static final String TOKEN_SECRET_LABEL = "flotilla.io/registration-token";

    /** Creates (or replaces the secret of) a ClusterRegistrationToken object that has just been validated. */
    public IssuedToken issueToken(ObjectNode tokenObject) {
        String name = Json.name(tokenObject);
        if (name.contains(".")) {
            throw ApiError.invalid("metadata.name", "a registration token name may not contain '.'");
        }
        Json.metadata(tokenObject).with("annotations").put(SHOWN_ONCE_ANNOTATION, "true");
        return issue(store.create(tokenObject));
    }

    /**
     * A token created in the store directly (Fleet's way: {@code kubectl apply} of a ClusterRegistrationToken) that has
     * no value yet: issues one, and keeps it in the Secret of the token's name in its namespace (keys {@code value}
     * and {@code values}, as the agent chart and Fleet's {@code values.yaml} take it), readable under the upstream
     * cluster's own RBAC. Returns false when there is nothing to do (issued already, or created through the API).
     */
    public boolean issueIntoSecret(ObjectNode tokenObject) {
        String ns = Json.namespace(tokenObject);
        String name = Json.name(tokenObject);
        if (Json.text(tokenObject.path("status"), "expiresAt") != null
                || Json.annotations(tokenObject).containsKey(SHOWN_ONCE_ANNOTATION)) {
            return false;
        }
        if (name.contains(".")) {
            LOG.warn("ClusterRegistrationToken {}/{}: a registration token name may not contain '.'; no token issued", ns, name);
            return false;
        }
        ObjectKey secretKey = new ObjectKey(Kind.SECRET, ns, name);
        Optional<ObjectNode> existing = store.get(secretKey);
        if (existing.isPresent() && !name.equals(Json.labels(existing.get()).get(TOKEN_SECRET_LABEL))) {
            LOG.warn("ClusterRegistrationToken {}/{}: no token issued, because Secret {}/{} exists and is not this token's;"
                    + " delete or rename that Secret, or create the token under another name", ns, name, ns, name);
            return false;
        }
        IssuedToken issued = issue(tokenObject);
        ObjectNode secret = Json.newObject(Kind.SECRET, ns, name);
        Json.metadata(secret).set("labels", Json.MAPPER.valueToTree(Map.of(TOKEN_SECRET_LABEL, name)));
        ObjectNode data = secret.putObject("data");
        SecretData.put(data, "value", issued.token());
        SecretData.put(data, "values", "token: " + issued.token() + "\n");
        if (existing.isPresent()) {
            store.update(secret);
        } else {
            store.create(secret);
        }
        LOG.info("ClusterRegistrationToken {}/{}: its value is in Secret {}/{} (keys value, values)", ns, name, ns, name);
        return true;
    }

    private IssuedToken issue(ObjectNode tokenObject) {
        String ns = Json.namespace(tokenObject);
        String name = Json.name(tokenObject);
        String ttlText = Json.text(tokenObject.path("spec"), "ttl");
        Duration ttl;
        try {
            ttl = ttlText == null ? DEFAULT_TOKEN_TTL : Validation.checkTtl("spec.ttl", ttlText);
        } catch (ApiError e) {
            LOG.warn("ClusterRegistrationToken {}/{}: {}; issued with the default TTL {}", ns, name, e.getMessage(), DEFAULT_TOKEN_TTL);
            ttl = DEFAULT_TOKEN_TTL;
        }
        String secret = Secrets.newSecret();
        ObjectNode created = tokenObject;
        Instant expires = clock.instant().plus(ttl);
        ObjectNode status = Json.status(created);
        status.put("expiresAt", expires.toString());
        created = store.updateStatus(created);
        putHash(ns, CredentialSecrets.registrationTokenSecret(name), Secrets.hash(secret), Map.of());
        LOG.info("ClusterRegistrationToken {}/{} created, expires at {}", ns, name, expires);
        String pin = caPin == null ? "" : "." + caPin.substring(caPin.indexOf(':') + 1);
        return new IssuedToken(created, TOKEN_PREFIX + ns + "." + name + "." + secret + pin);
    }

    /** Removes the hash that belongs to a deleted token, and the Secret holding its value if it has one. */
    public void forgetToken(String namespace, String name) {
        store.delete(new ObjectKey(Kind.SECRET, namespace, CredentialSecrets.registrationTokenSecret(name)), null);
        ObjectKey valueSecret = new ObjectKey(Kind.SECRET, namespace, name);
        store.get(valueSecret).filter(s -> name.equals(Json.labels(s).get(TOKEN_SECRET_LABEL)))
                .ifPresent(s -> store.delete(valueSecret, null));
    }

    /** The outcome of a successful registration: where the Cluster lives and its new credential. */
    public record Registration(String clusterNamespace, String clusterName, String credential) {
    }

    public Registration register(String token, String clusterName, Map<String, String> labels) {
        return register(token, clusterName, labels, "");
    }

    /**
     * Checks the token, creates the Cluster with the proposed labels (or finds the one an admin created), and
     * issues a credential. A cluster that already holds a credential is refused ({@code ALREADY_EXISTS}: a shared
     * token must not let its holder take over another agent's cluster) unless an admin set
     * {@value #ALLOW_REREGISTRATION} on it, which this registration consumes. Labels apply when the Cluster is created
     * here; later ones are the admin's.
     *
     * @param namespace the namespace the agent asks for: empty or the token's own; any other is refused
     */
    public Registration register(String token, String clusterName, Map<String, String> labels, String namespace) {
        String[] parts = token == null ? new String[0] : token.split("\\.", 5);
        if (parts.length < 4 || !(parts[0] + ".").equals(TOKEN_PREFIX)) {
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
        if (!Secrets.matches(parts[3], storedHash(ns, CredentialSecrets.registrationTokenSecret(tokenName)).orElse(null))) {
            throw new AuthException(AuthException.Code.UNAUTHENTICATED,
                    "registration token " + ns + "/" + tokenName + " is wrong (its secret part does not match)");
        }
        if (namespace != null && !namespace.isEmpty() && !namespace.equals(ns)) {
            throw new AuthException(AuthException.Code.PERMISSION_DENIED, "registration token " + ns + "/" + tokenName
                    + " registers clusters in namespace " + ns + " only, not in " + namespace
                    + "; use a token created in " + namespace);
        }
        try {
            Validation.checkLabel("clusterName", clusterName);
            Validation.checkLabels("labels", Json.MAPPER.valueToTree(labels));
        } catch (ApiError e) {
            throw new AuthException(AuthException.Code.INVALID_ARGUMENT, e.getMessage());
        }
        for (String key : labels.keySet()) {
            if (reservedLabel(key)) {
                throw new AuthException(AuthException.Code.INVALID_ARGUMENT, "label " + key + " is reserved for the "
                        + "manager (prefix " + RESERVED_LABEL_DOMAIN + "/): an agent may not propose it");
            }
        }
        String credentialSecret = CredentialSecrets.agentCredentialSecret(clusterName);
        boolean reRegistration = storedHash(ns, credentialSecret).isPresent();
        upsertCluster(ns, clusterName, labels, reRegistration);
        String secret = Secrets.newSecret();
        putHash(ns, credentialSecret, Secrets.hash(secret), Map.of(CREDENTIAL_LABEL, clusterName));
        if (reRegistration) {
            LOG.warn("Cluster {}/{} re-registered with token {} (allowed by an admin); its previous credential is revoked",
                    ns, clusterName, tokenName);
        } else {
            LOG.info("Cluster {}/{} registered with token {} and labels {}", ns, clusterName, tokenName, labels);
        }
        return new Registration(ns, clusterName, CREDENTIAL_PREFIX + ns + "." + clusterName + "." + secret);
    }

    static boolean reservedLabel(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String domain = key.substring(0, slash);
        return domain.equals(RESERVED_LABEL_DOMAIN) || domain.endsWith("." + RESERVED_LABEL_DOMAIN);
    }

    /**
     * Checks a credential presented on connect for cluster {@code namespace/name}.
     *
     * @throws AuthException UNAUTHENTICATED for an unknown credential, PERMISSION_DENIED for another cluster's
     */
    public void authenticate(String namespace, String clusterName, String credential) {
        if (credential != null && credential.startsWith(CREDENTIAL_PREFIX)) {
            String[] parts = credential.substring(CREDENTIAL_PREFIX.length()).split("\\.", 3);
            if (parts.length == 3 && parts[0].length() <= 63 && parts[1].length() <= 63) {
                Optional<String> stored = storedHash(parts[0], CredentialSecrets.agentCredentialSecret(parts[1]));
                if (stored.isPresent() && Secrets.matches(parts[2], stored.get())) {
                    if (parts[0].equals(namespace) && parts[1].equals(clusterName)) {
                        return;
                    }
                    throw new AuthException(AuthException.Code.PERMISSION_DENIED, "this credential belongs to cluster "
                            + parts[0] + "/" + parts[1] + " and may not act for cluster " + namespace + "/" + clusterName);
                }
            }
        } else if (credential != null && credential.startsWith(LEGACY_CREDENTIAL_PREFIX)) {
            Optional<String> own = storedHash(namespace, CredentialSecrets.agentCredentialSecret(clusterName));
            if (own.isPresent() && Secrets.matches(credential.substring(LEGACY_CREDENTIAL_PREFIX.length()), own.get())) {
                return;
            }
        } else {
            throw new AuthException(AuthException.Code.UNAUTHENTICATED,
                    "missing or malformed cluster credential: register the agent with a registration token first");
        }
        throw new AuthException(AuthException.Code.UNAUTHENTICATED, "unknown or revoked credential for cluster "
                + namespace + "/" + clusterName + ": register the agent again with a registration token");
    }

    private void upsertCluster(String ns, String name, Map<String, String> labels, boolean reRegistration) {
        ObjectKey key = new ObjectKey(Kind.CLUSTER, ns, name);
        for (int attempt = 0; ; attempt++) {
            Optional<ObjectNode> existing = store.get(key);
            try {
                if (existing.isEmpty()) {
                    ObjectNode cluster = Json.newObject(Kind.CLUSTER, ns, name);
                    Json.metadata(cluster).set("labels", Json.MAPPER.valueToTree(labels));
                    cluster.putObject("spec");
                    store.create(cluster);
                } else if (reRegistration) {
                    ObjectNode cluster = existing.get();
                    if (!"true".equals(cluster.path("metadata").path("annotations").path(ALLOW_REREGISTRATION).asText())) {
                        throw new AuthException(AuthException.Code.ALREADY_EXISTS, "cluster " + ns + "/" + name
                                + " is already registered by another agent; an admin can allow one re-registration with "
                                + "'flotilla cluster allow-reregistration " + name + "' (annotation " + ALLOW_REREGISTRATION
                                + "=true), or register under another name");
                    }
                    // one re-registration per allowance; labels stay the admin's
                    ((ObjectNode) cluster.path("metadata").path("annotations")).remove(ALLOW_REREGISTRATION);
                    store.update(cluster);
                } else {
                    // created by an admin before its agent came: the admin's labels win, the agent's fill the gaps
                    ObjectNode cluster = existing.get();
                    Map<String, String> merged = new LinkedHashMap<>(labels);
                    merged.putAll(Json.labels(cluster));
                    if (!merged.equals(Json.labels(cluster))) {
                        Json.metadata(cluster).set("labels", Json.MAPPER.valueToTree(merged));
                        store.update(cluster);
                    }
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
        return store.get(new ObjectKey(Kind.SECRET, ns, secretName)).map(s -> SecretData.get(s.path("data"), "hash"));
    }

    private void putHash(String ns, String secretName, String hash, Map<String, String> labels) {
        ObjectNode secret = Json.newObject(Kind.SECRET, ns, secretName);
        if (!labels.isEmpty()) {
            Json.metadata(secret).set("labels", Json.MAPPER.valueToTree(labels));
        }
        SecretData.put(secret.putObject("data"), "hash", hash);
        Optional<ObjectNode> existing = store.get(new ObjectKey(Kind.SECRET, ns, secretName));
        if (existing.isPresent()) {
            store.update(secret);
        } else {
            store.create(secret);
        }
    }
}

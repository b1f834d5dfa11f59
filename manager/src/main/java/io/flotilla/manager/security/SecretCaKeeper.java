package io.flotilla.manager.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.registration.SecretData;
import io.flotilla.manager.security.policy.CredentialSecrets;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreException;

import java.io.IOException;
import java.util.Optional;

/**
 * The generated CA kept in the store, as a {@code kubernetes.io/tls} Secret in the manager's reserved namespace (not
 * reachable through the public API): replicas sharing a Kubernetes-mode store serve under one CA, so an agent that
 * pinned it at registration trusts whichever replica leads. The first replica to start creates it; a replica that
 * loses that race uses the winner's.
 */
public final class SecretCaKeeper implements TlsMaterial.CaKeeper {
    static final ObjectKey KEY = new ObjectKey(Kind.SECRET, CredentialSecrets.SYSTEM_NAMESPACE, "flotilla-manager-ca");

    private final Store store;

    public SecretCaKeeper(Store store) {
        this.store = store;
    }

    @Override
    public Optional<TlsMaterial.CaPem> load() throws IOException {
        Optional<ObjectNode> secret = store.get(KEY);
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        String cert = decoded(secret.get(), "tls.crt");
        String key = decoded(secret.get(), "tls.key");
        if (cert == null || key == null) {
            throw new IOException("Secret " + describe() + " has no tls.crt or tls.key; restore it, or delete it to create a"
                    + " new CA (agents and CLI configs must then be re-issued)");
        }
        return Optional.of(new TlsMaterial.CaPem(cert, key));
    }

    @Override
    public TlsMaterial.CaPem keep(TlsMaterial.CaPem generated) throws IOException {
        ObjectNode secret = Json.newObject(Kind.SECRET, KEY.namespace(), KEY.name());
        secret.put("type", "kubernetes.io/tls");
        ObjectNode data = secret.putObject("data");
        SecretData.put(data, "tls.crt", generated.certificate());
        SecretData.put(data, "tls.key", generated.privateKey());
        try {
            store.create(secret);
            return generated;
        } catch (StoreException.AlreadyExists e) {
            return load().orElseThrow(() -> new IOException("Secret " + describe() + " was created and deleted meanwhile"));
        }
    }

    /** PEM has line breaks, which {@link SecretData#get} takes for an older store's plain text: decoded here. */
    private static String decoded(ObjectNode secret, String key) {
        String value = secret.path("data").path(key).asText(null);
        try {
            return value == null ? null : new String(java.util.Base64.getDecoder().decode(value), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String describe() {
        return "Secret " + KEY.namespace() + "/" + KEY.name();
    }
}

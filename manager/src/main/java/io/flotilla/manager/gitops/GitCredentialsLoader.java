package io.flotilla.manager.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.git.GitCredentials;
import io.flotilla.manager.store.Store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads secrets referenced by GitRepos, Kubernetes-style: {@code data} values are base64, {@code stringData}
 * values plain. Git credentials use the keys of {@code kubernetes.io/basic-auth} ({@code username},
 * {@code password}) or {@code kubernetes.io/ssh-auth} ({@code ssh-privatekey}, plus {@code known_hosts}).
 */
final class GitCredentialsLoader {
    private final Store store;

    GitCredentialsLoader(Store store) {
        this.store = store;
    }

    /** Thrown when a referenced secret is missing or unusable; the message names it, never its content. */
    static final class SecretProblem extends Exception {
        SecretProblem(String message) {
            super(message);
        }
    }

    GitCredentials gitCredentials(String namespace, String secretName) throws SecretProblem {
        if (secretName == null || secretName.isBlank()) {
            return null;
        }
        JsonNode secret = secret(namespace, secretName);
        String key = value(secret, "ssh-privatekey").orElse(null);
        if (key != null) {
            return GitCredentials.ssh(key, value(secret, "known_hosts").orElse(null));
        }
        String username = value(secret, "username").orElse(null);
        String password = value(secret, "password").orElse(null);
        if (password == null) {
            throw new SecretProblem("secret " + namespace + "/" + secretName
                    + " has neither 'ssh-privatekey' nor 'password' (basic-auth: username + password or token)");
        }
        return GitCredentials.basic(username == null ? "git" : username, password);
    }

    /** The value of {@code key} (default {@code token}) of a secret, e.g. a webhook's shared secret. */
    Optional<String> value(String namespace, String secretName, String key) {
        try {
            return value(secret(namespace, secretName), key);
        } catch (SecretProblem e) {
            return Optional.empty();
        }
    }

    private JsonNode secret(String namespace, String name) throws SecretProblem {
        return store.get(new ObjectKey(Kind.SECRET, namespace, name))
                .orElseThrow(() -> new SecretProblem("secret " + namespace + "/" + name + " does not exist"));
    }

    private static Optional<String> value(JsonNode secret, String key) throws SecretProblem {
        String plain = Json.text(secret.path("stringData"), key);
        if (plain != null) {
            return Optional.of(plain);
        }
        String encoded = Json.text(secret.path("data"), key);
        if (encoded == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new SecretProblem("secret " + Json.namespace(secret) + "/" + Json.name(secret) + ": data." + key
                    + " is not base64");
        }
    }
}

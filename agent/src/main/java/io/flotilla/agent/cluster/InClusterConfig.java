package io.flotilla.agent.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration of a process running in a pod, as client-go's {@code rest.InClusterConfig}: the API server from
 * {@code KUBERNETES_SERVICE_HOST}/{@code KUBERNETES_SERVICE_PORT}, the CA and the service account's token from the
 * mounted service account directory. The token is read again on every request that needs it, so the kubelet's
 * rotation of projected tokens (about hourly) never leaves the agent with an expired one.
 */
public final class InClusterConfig {
    /** Where the kubelet mounts the service account's token, CA and namespace. */
    public static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private InClusterConfig() {
    }

    /**
     * The in-cluster configuration when {@code env} and {@code serviceAccountDir} say this runs in a pod, empty
     * otherwise (no service host in the environment, or no token mounted).
     */
    public static Optional<Config> detect(Map<String, String> env, Path serviceAccountDir) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.get("KUBERNETES_SERVICE_PORT");
        Path token = serviceAccountDir.resolve("token");
        if (host == null || host.isBlank() || port == null || port.isBlank() || !Files.isRegularFile(token)) {
            return Optional.empty();
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host; // IPv6 service address
        ConfigBuilder builder = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://" + hostPart + ":" + port)
                .withOauthTokenProvider(() -> readToken(token));
        Path ca = serviceAccountDir.resolve("ca.crt");
        if (Files.isRegularFile(ca)) {
            builder.withCaCertFile(ca.toString());
        }
        Path namespace = serviceAccountDir.resolve("namespace");
        if (Files.isRegularFile(namespace)) {
            try {
                builder.withNamespace(Files.readString(namespace, StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + namespace, e);
            }
        }
        return Optional.of(builder.build());
    }

    private static String readToken(Path token) {
        try {
            return Files.readString(token, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service account token " + token, e);
        }
    }
}

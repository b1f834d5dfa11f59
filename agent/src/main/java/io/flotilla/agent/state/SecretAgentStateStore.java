package io.flotilla.agent.state;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.agent.connection.AgentState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The agent's registration in a Secret of its own cluster ({@code --state-secret namespace/name}), read and written
 * through the agent's Kubernetes client: a pod keeps its credential across restarts and reschedules without a
 * volume. Keys: {@code managerUrl}, {@code clusterNamespace}, {@code clusterName}, {@code credential}. The agent
 * needs get, create and update on that Secret.
 */
public final class SecretAgentStateStore implements AgentStateStore {
    static final String MANAGER_URL = "managerUrl";
    static final String CLUSTER_NAMESPACE = "clusterNamespace";
    static final String CLUSTER_NAME = "clusterName";
    static final String CREDENTIAL = "credential";
    private static final String CA_PIN = "caPin";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int UPDATE_ATTEMPTS = 5;

    /** A Secret's coordinates. */
    public record SecretRef(String namespace, String name) {
        @Override
        public String toString() {
            return "secret " + namespace + "/" + name;
        }
    }

    private final KubernetesClient client;
    private final SecretRef ref;

    public SecretAgentStateStore(KubernetesClient client, SecretRef ref) {
        this.client = client;
        this.ref = ref;
    }

    /**
     * Parses {@code namespace/name}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static SecretRef parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("--state-secret must be NAMESPACE/NAME, e.g. cattle-fleet-system/"
                    + "flotilla-agent-state; got \"" + text + "\"");
        }
        if (parts[0].length() > 63 || !DNS_LABEL.matcher(parts[0]).matches()) {
            throw new IllegalArgumentException("--state-secret: \"" + parts[0] + "\" is not a valid namespace name "
                    + "(lower-case RFC 1123 label)");
        }
        if (parts[1].length() > 253 || !DNS_SUBDOMAIN.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException("--state-secret: \"" + parts[1] + "\" is not a valid Secret name "
                    + "(lower-case RFC 1123 subdomain)");
        }
        return new SecretRef(parts[0], parts[1]);
    }

    @Override
    public Optional<AgentState> load() throws IOException {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
        } catch (KubernetesClientException e) {
            throw new IOException("cannot read the agent state from " + ref + ": " + reason(e), e);
        }
        if (secret == null || secret.getData() == null || !secret.getData().containsKey(CREDENTIAL)) {
            return Optional.empty();
        }
        Map<String, String> data = secret.getData();
        try {
            return Optional.of(new AgentState(decode(data, MANAGER_URL), decode(data, CLUSTER_NAMESPACE),
                    decode(data, CLUSTER_NAME), decode(data, CREDENTIAL),
                    data.containsKey(CA_PIN) ? decode(data, CA_PIN) : null));
        } catch (IllegalArgumentException e) {
            throw new IOException("the agent state in " + ref + " is unreadable (" + e.getMessage()
                    + "); delete the Secret and start the agent with a registration token", e);
        }
    }

    @Override
    public void save(AgentState state) throws IOException {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(MANAGER_URL, encode(state.managerUrl()));
        data.put(CLUSTER_NAMESPACE, encode(state.clusterNamespace()));
        data.put(CLUSTER_NAME, encode(state.clusterName()));
        data.put(CREDENTIAL, encode(state.credential()));
        if (state.caPin() != null) {
            data.put(CA_PIN, encode(state.caPin())); // the manager's CA, pinned at registration
        }
        var secrets = client.secrets().inNamespace(ref.namespace());
        for (int attempt = 1; ; attempt++) {
            try {
                Secret existing = secrets.withName(ref.name()).get();
                if (existing == null) {
                    secrets.resource(new SecretBuilder().withNewMetadata().withName(ref.name())
                            .withNamespace(ref.namespace())
                            .addToLabels("app.kubernetes.io/managed-by", "flotilla-agent")
                            .addToLabels("app.kubernetes.io/part-of", "flotilla")
                            .endMetadata().withType("Opaque").withData(data).build()).create();
                } else {
                    existing.setData(data);
                    existing.setStringData(null);
                    secrets.resource(existing).update(); // resourceVersion precondition: a concurrent writer conflicts
                }
                return;
            } catch (KubernetesClientException e) {
                boolean raced = e.getCode() == 409;
                if (!raced || attempt == UPDATE_ATTEMPTS) {
                    throw new IOException("cannot store the agent state in " + ref + ": " + reason(e), e);
                }
            }
        }
    }

    @Override
    public String describe() {
        return ref.toString();
    }

    private static String reason(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getCode() + " " + e.getStatus().getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(Map<String, String> data, String key) {
        String value = data.get(key);
        if (value == null) {
            throw new IllegalArgumentException("key " + key + " is missing");
        }
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }
}

package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.agent.model.Json;
import io.flotilla.agent.model.Names;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Ownership records, one per BundleDeployment, kept as Secrets named {@code bd-<bdName>} in the agent's
 * namespace (a Secret rather than a ConfigMap because the recorded objects may include Secrets). Blocking.
 */
final class OwnershipStore {
    static final String RECORD_LABEL = "flotilla.io/ownership-record";
    static final String SECRET_TYPE = "flotilla.io/ownership";

    private final KubernetesClient client;
    private final String namespace;

    OwnershipStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    static String recordName(String bdName) {
        return Names.dnsSubdomain("bd-" + bdName);
    }

    static ObjectRef recordRef(String namespace, String bdName) {
        return new ObjectRef("v1", "Secret", namespace, recordName(bdName));
    }

    Optional<OwnedState> load(String bdName) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(recordName(bdName)).get())
                .map(OwnershipStore::decode);
    }

    Map<String, OwnedState> loadAll() {
        Map<String, OwnedState> result = new LinkedHashMap<>();
        for (Secret secret : client.secrets().inNamespace(namespace).withLabel(RECORD_LABEL, "true").list().getItems()) {
            OwnedState state = decode(secret);
            result.put(state.bdName(), state);
        }
        return result;
    }

    /** Writes the record; no write when it already holds exactly this content. */
    void save(OwnedState state) {
        Map<String, String> data = encode(state);
        var resource = client.secrets().inNamespace(namespace).withName(recordName(state.bdName()));
        Secret existing = resource.get();
        if (existing != null && data.equals(existing.getData())) {
            return;
        }
        Secret secret = new SecretBuilder().withNewMetadata().withName(recordName(state.bdName()))
                .withNamespace(namespace).addToLabels(RECORD_LABEL, "true").endMetadata()
                .withType(SECRET_TYPE).withData(data).build();
        if (existing == null) {
            ensureNamespace();
            client.secrets().inNamespace(namespace).resource(secret).create();
        } else {
            secret.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            client.secrets().inNamespace(namespace).resource(secret).update();
        }
    }

    void remove(String bdName) {
        client.secrets().inNamespace(namespace).withName(recordName(bdName)).delete();
    }

    private void ensureNamespace() {
        if (client.namespaces().withName(namespace).get() == null) {
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                        .build()).create();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // Two BDs applied at once may both find it missing: the other one created it.
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    private static Map<String, String> encode(OwnedState state) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("bdName", base64(state.bdName().getBytes(StandardCharsets.UTF_8)));
        data.put("deploymentId", base64(state.deploymentId().getBytes(StandardCharsets.UTF_8)));
        data.put("requestedDeploymentId", base64(state.requestedDeploymentId().getBytes(StandardCharsets.UTF_8)));
        data.put("owned.json", base64(Json.write(state.owned().stream().map(OwnershipStore::refToMap).toList())
                .getBytes(StandardCharsets.UTF_8)));
        data.put("options.json", base64(Json.write(state.options()).getBytes(StandardCharsets.UTF_8)));
        data.put("objects.json.gz", base64(gzip(Json.write(state.objects()))));
        return data;
    }

    private static OwnedState decode(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        List<ObjectRef> owned = Json.readList(text(data, "owned.json", "[]")).stream().map(ObjectRef::of).toList();
        String objects = data.containsKey("objects.json.gz") ? gunzip(Base64.getDecoder().decode(data.get("objects.json.gz")))
                : "[]";
        return new OwnedState(text(data, "bdName", ""), text(data, "deploymentId", ""),
                text(data, "requestedDeploymentId", ""), owned,
                Json.read(text(data, "options.json", "{}"), BundleDeploymentOptions.class), Json.readList(objects));
    }

    /** A ref in the shape of an object's identity, so {@link ObjectRef#of} reads it back. */
    private static Map<String, Object> refToMap(ObjectRef ref) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", ref.name());
        if (!ref.namespace().isEmpty()) {
            metadata.put("namespace", ref.namespace());
        }
        return Map.of("apiVersion", ref.apiVersion(), "kind", ref.kind(), "metadata", metadata);
    }

    private static String text(Map<String, String> data, String key, String fallback) {
        String value = data.get(key);
        return value == null ? fallback : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] bytes) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(gz.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

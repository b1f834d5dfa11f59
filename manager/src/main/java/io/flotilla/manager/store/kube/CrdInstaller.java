package io.flotilla.manager.store.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs or upgrades the manager's CRDs at start (unless the chart does) and waits until they serve. */
final class CrdInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(CrdInstaller.class);

    private CrdInstaller() {
    }

    /** The digest of the CRD as this manager ships it: an equal one on the server means nothing to upgrade. */
    static final String DIGEST_ANNOTATION = "flotilla.io/crd-sha256";

    static void installOrUpgrade(KubernetesClient client, List<CustomResourceDefinition> crds, Duration timeout) {
        for (CustomResourceDefinition shipped : crds) {
            CustomResourceDefinition crd = new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder(shipped)
                    .editMetadata().addToAnnotations(DIGEST_ANNOTATION, digest(shipped)).endMetadata().build();
            String name = crd.getMetadata().getName();
            var resource = client.apiextensions().v1().customResourceDefinitions().withName(name);
            CustomResourceDefinition existing = resource.get();
            if (existing == null) {
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                LOG.info("Installed CRD {}", name);
            } else if (!digest(shipped).equals(existing.getMetadata().getAnnotations() == null ? null
                    : existing.getMetadata().getAnnotations().get(DIGEST_ANNOTATION))) {
                // An upgrade makes the API server restart the kind's storage and every watch of it: only when it changed.
                crd.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                client.apiextensions().v1().customResourceDefinitions().resource(crd).update();
                LOG.info("Upgraded CRD {}", name);
            }
        }
        for (CustomResourceDefinition crd : crds) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                            timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static String digest(CustomResourceDefinition crd) {
        try {
            byte[] json = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asJson(crd.getSpec())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(json));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

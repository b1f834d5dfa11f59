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

    static void installOrUpgrade(KubernetesClient client, List<CustomResourceDefinition> crds, Duration timeout) {
        for (CustomResourceDefinition crd : crds) {
            var resource = client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName());
            CustomResourceDefinition existing = resource.get();
            if (existing == null) {
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                LOG.info("Installed CRD {}", crd.getMetadata().getName());
            } else if (!existing.getSpec().equals(crd.getSpec())) {
                crd.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                client.apiextensions().v1().customResourceDefinitions().resource(crd).update();
                LOG.info("Upgraded CRD {}", crd.getMetadata().getName());
            }
        }
        for (CustomResourceDefinition crd : crds) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                            timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}

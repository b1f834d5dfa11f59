package io.flotilla.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.flotilla.testkit.KubeApiServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Installs rendered charts on a real API server (server-side apply of every object, as {@code helm install} would
 * create them; no controller runs, so the Deployments stay without pods) and gives a component the identity the
 * chart made for it: a kubeconfig with a TokenRequest token of the chart's ServiceAccount. Tests that run the
 * manager or the agent "as the chart's ServiceAccount" use {@link #kubeconfigOf}, so a missing RBAC rule fails them.
 */
final class ChartInstall {
    private ChartInstall() {
    }

    /** Applies every object of {@code rendered} for real (namespaces it needs are created first). */
    static void apply(KubernetesClient admin, Charts.Rendered rendered) {
        for (JsonNode object : rendered.objects()) {
            GenericKubernetesResource resource = admin.getKubernetesSerialization().unmarshal(object.toString(),
                    GenericKubernetesResource.class);
            String ns = resource.getMetadata().getNamespace();
            if (ns != null) {
                ensureNamespace(admin, ns);
            }
            var kind = admin.genericKubernetesResources(resource.getApiVersion(), resource.getKind());
            (ns == null ? kind.resource(resource) : kind.inNamespace(ns).resource(resource))
                    .fieldValidation(FieldValidateable.Validation.STRICT).fieldManager("helm").forceConflicts()
                    .serverSideApply();
        }
    }

    static void ensureNamespace(KubernetesClient admin, String ns) {
        if (admin.namespaces().withName(ns).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
    }

    /** A kubeconfig acting as ServiceAccount {@code namespace/name}, with a one-hour token from the TokenRequest API. */
    static Path kubeconfigOf(KubeApiServer server, String namespace, String name, Path dir) throws IOException {
        String token = server.client().serviceAccounts().inNamespace(namespace).withName(name)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        String admin = Files.readString(server.kubeconfig(KubeApiServer.User.ADMIN));
        String ca = admin.replaceAll("(?s).*certificate-authority-data: ([A-Za-z0-9+/=]+).*", "$1");
        Path file = dir.resolve(namespace + "-" + name + ".kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kube
                  cluster: {server: "%1$s", certificate-authority-data: %2$s}
                contexts:
                - name: sa
                  context: {cluster: kube, user: sa, namespace: %3$s}
                current-context: sa
                users:
                - name: sa
                  user: {token: %4$s}
                """.formatted(server.url(), ca, namespace, token));
        return file;
    }
}

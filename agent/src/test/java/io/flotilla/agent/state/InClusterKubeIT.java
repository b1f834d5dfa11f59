package io.flotilla.agent.state;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flotilla.agent.cluster.InClusterConfig;
import io.flotilla.agent.connection.AgentState;
import io.flotilla.testkit.KubeApiServer;
import io.flotilla.testkit.KubeApiServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An agent in a pod, against a real API server: the in-cluster configuration (service host from the environment,
 * a service account token from the TokenRequest API and the CA in a service-account directory) authenticates as
 * that service account, re-reads a rotated token, and keeps the agent's state in a Secret with nothing more than
 * get/create/update on Secrets of its namespace.
 */
class InClusterKubeIT {
    private static final String NS = "flotilla-agent";
    private static final String SA = "flotilla-agent";

    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();

    @TempDir
    Path serviceAccountDir;

    @BeforeAll
    static void serviceAccountWithTheStateRole() {
        KubernetesClient admin = KUBE.get().client();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName(SA)
                .endMetadata().build()).create();
        // the rule the flotilla-agent chart grants for the state Secret
        admin.resource(Serialization.unmarshal("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: state, namespace: %s}
                rules: [{apiGroups: [""], resources: [secrets], verbs: [get, create, update]}]
                """.formatted(NS), Role.class)).create();
        admin.resource(Serialization.unmarshal("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: state, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: state}
                subjects: [{kind: ServiceAccount, name: %2$s, namespace: %1$s}]
                """.formatted(NS, SA), RoleBinding.class)).create();
    }

    private static String serviceAccountToken() {
        return KUBE.get().client().serviceAccounts().inNamespace(NS).withName(SA)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
    }

    /** What the kubelet mounts: token, ca.crt, namespace. */
    private void mount(String token) throws Exception {
        String kubeconfig = Files.readString(KUBE.get().kubeconfig(KubeApiServer.User.ADMIN));
        String caData = kubeconfig.replaceAll("(?s).*certificate-authority-data: ([A-Za-z0-9+/=]+).*", "$1");
        Files.write(serviceAccountDir.resolve("ca.crt"), Base64.getDecoder().decode(caData));
        Files.writeString(serviceAccountDir.resolve("namespace"), NS);
        Files.writeString(serviceAccountDir.resolve("token"), token);
    }

    private Map<String, String> podEnvironment() {
        return Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", String.valueOf(KUBE.get().url().getPort()));
    }

    @Test
    void outsideAPodThereIsNoInClusterConfiguration() throws Exception {
        assertThat(InClusterConfig.detect(Map.of(), serviceAccountDir)).isEmpty();
        assertThat(InClusterConfig.detect(podEnvironment(), serviceAccountDir)).as("no token mounted").isEmpty();
        mount(serviceAccountToken());
        assertThat(InClusterConfig.detect(Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1"), serviceAccountDir)).isEmpty();
    }

    @Test
    void theServiceAccountKeepsTheAgentStateInASecretAndARotatedTokenIsReadAgain() throws Exception {
        mount(serviceAccountToken());
        Config config = InClusterConfig.detect(podEnvironment(), serviceAccountDir).orElseThrow();
        assertThat(config.getNamespace()).isEqualTo(NS);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            var store = new SecretAgentStateStore(client, SecretAgentStateStore.parse(NS + "/flotilla-agent-state"));
            assertThat(store.load()).isEmpty();

            AgentState first = new AgentState("https://manager.example:8443", "fleet-default", "edge-1", "cred-1",
                    "sha256:" + "ab".repeat(32));
            store.save(first);
            assertThat(store.load()).contains(first);
            AgentState second = new AgentState("https://manager.example:8443", "fleet-default", "edge-1", "cred-2", null);
            store.save(second);
            assertThat(store.load()).contains(second);
            var secret = KUBE.get().client().secrets().inNamespace(NS).withName("flotilla-agent-state").get();
            assertThat(secret.getData()).containsOnlyKeys("managerUrl", "clusterNamespace", "clusterName", "credential");
            store.save(first);
            assertThat(store.load()).as("the CA pin is kept too").contains(first);
            store.save(second);
            assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "flotilla-agent");

            // it is the service account that acts: other namespaces are out of its reach
            assertThatThrownBy(() -> client.secrets().inNamespace("default").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getMessage()).contains("system:serviceaccount:" + NS + ":" + SA);
                    });

            // the kubelet rotates the token: the next request reads the new one; a revoked one fails
            Files.writeString(serviceAccountDir.resolve("token"), serviceAccountToken());
            assertThat(store.load()).contains(second);
            Files.writeString(serviceAccountDir.resolve("token"), "not-a-token");
            assertThatThrownBy(store::load).hasMessageContaining("401");
        }
    }

    @Test
    void aStateSecretWithoutRightsGivesAClearError() throws Exception {
        mount(serviceAccountToken());
        Config config = InClusterConfig.detect(podEnvironment(), serviceAccountDir).orElseThrow();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            var store = new SecretAgentStateStore(client, SecretAgentStateStore.parse("kube-system/flotilla-agent-state"));
            assertThatThrownBy(store::load).hasMessageContaining("cannot read the agent state from secret "
                    + "kube-system/flotilla-agent-state").hasMessageContaining("403");
        }
    }
}

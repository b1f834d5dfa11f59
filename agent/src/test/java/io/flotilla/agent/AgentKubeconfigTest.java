package io.flotilla.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent parses its kubeconfig without fabric8's class-path scan; the result must be fabric8's own. */
class AgentKubeconfigTest {
    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: edge
              cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: Y2EtZGF0YQ==}
            - name: other
              cluster: {server: "https://10.0.0.2:6443", insecure-skip-tls-verify: true}
            contexts:
            - name: edge
              context: {cluster: edge, user: agent, namespace: flotilla-system}
            - name: other
              context: {cluster: other, user: agent}
            current-context: edge
            users:
            - name: agent
              user: {token: secret-token, client-certificate-data: Y2VydA==, client-key-data: a2V5}
            """;

    @Test
    void sameConfigAsFabric8() {
        Config ours = Agent.kubeconfig(KUBECONFIG, new KubernetesSerialization(new ObjectMapper(), false));
        Config theirs = Config.fromKubeconfig(KUBECONFIG);
        assertThat(ours.getMasterUrl()).isEqualTo(theirs.getMasterUrl()).isEqualTo("https://10.0.0.1:6443/");
        assertThat(ours.getCaCertData()).isEqualTo(theirs.getCaCertData()).isEqualTo("Y2EtZGF0YQ==");
        assertThat(ours.getClientCertData()).isEqualTo(theirs.getClientCertData());
        assertThat(ours.getClientKeyData()).isEqualTo(theirs.getClientKeyData());
        assertThat(ours.getNamespace()).isEqualTo(theirs.getNamespace()).isEqualTo("flotilla-system");
        assertThat(ours.getCurrentContext().getName()).isEqualTo(theirs.getCurrentContext().getName());
        assertThat(ours.isTrustCerts()).isEqualTo(theirs.isTrustCerts());
        assertThat(ours.getRequestConfig().getRequestTimeout()).isEqualTo(theirs.getRequestConfig().getRequestTimeout());
        assertThat(ours.getAutoOAuthToken()).isEqualTo(theirs.getAutoOAuthToken());
        assertThat(ours.getOauthToken()).isEqualTo(theirs.getOauthToken());
        assertThat(ours.getContexts()).hasSize(2);
    }

    @Test
    void vertxSizedForOneAgent() {
        var options = Agent.vertxOptions();
        assertThat(options.getEventLoopPoolSize()).isEqualTo(1);
        assertThat(options.getWorkerPoolSize()).isEqualTo(2);
    }
}

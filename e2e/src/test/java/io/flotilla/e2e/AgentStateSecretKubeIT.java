package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.ChildJvm;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent as the flotilla-agent chart runs it: the registration token from a mounted file, the per-cluster
 * credential kept in a Secret of its own cluster ({@code --state-secret}). After a restart without any token the
 * credential is read back from that Secret and the agent reconnects without registering again.
 */
@ExtendWith(RequiresKubeApiServer.class)
class AgentStateSecretKubeIT {
    private static final String AGENT_NS = "flotilla-agent";
    private static final String STATE = AGENT_NS + "/flotilla-agent-state";

    @TempDir
    Path dir;
    Fleet fleet;
    ChildJvm agent;
    Path tokenFile;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("app/fleet.yaml", "defaultNamespace: app\n");
        fleet.git.write("app/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  k: v\n");
        fleet.addKubeCluster("edge-1");
        fleet.createGitRepo("apps", "[{\"clusterSelector\":{}}]");
        kube().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(AGENT_NS).endMetadata().build())
                .create();
        tokenFile = Files.createDirectories(dir.resolve("token")).resolve("token");
        Files.writeString(tokenFile, fleet.token() + "\n");
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        fleet.close();
    }

    private KubernetesClient kube() {
        return fleet.clusters.get("edge-1").client();
    }

    private ChildJvm startAgent(String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("agent", "--manager", fleet.managerUrl().toString(),
                "--token-file", tokenFile.toString(), "--cluster-name", "edge-1", "--labels", "env=edge",
                "--kubeconfig", fleet.clusters.get("edge-1").kubeconfig().toString(),
                "--state-dir", dir.resolve("scratch").toString()));
        args.addAll(List.of(extra));
        return ChildJvm.start(name, dir, args.toArray(String[]::new));
    }

    private Secret stateSecret() {
        return kube().secrets().inNamespace(AGENT_NS).withName("flotilla-agent-state").get();
    }

    @Test
    void theCredentialLivesInTheSecretAndARestartNeedsNoToken() throws Exception {
        agent = startAgent("agent-1", "--state-secret", STATE);
        await("registered and deployed").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(kube().configMaps().inNamespace("app").withName("app").get()).as(agent.output()).isNotNull();
            JsonNode bd = fleet.bd("apps-app", "edge-1");
            assertThat(bd.path("status").path("ready").asBoolean()).isTrue();
        });
        Secret secret = stateSecret();
        assertThat(secret.getData()).containsOnlyKeys("managerUrl", "clusterNamespace", "clusterName", "credential", "caPin");
        assertThat(Files.exists(dir.resolve("scratch").resolve("credential.json"))).as("no credential file").isFalse();
        assertThat(agent.output()).contains("credential stored in secret " + STATE)
                .doesNotContain(fleet.token()).doesNotContain(new String(java.util.Base64.getDecoder()
                        .decode(secret.getData().get("credential"))));
        String stored = secret.getMetadata().getResourceVersion();
        long reportedBefore = fleet.bd("apps-app", "edge-1").path("status").path("reportedSequence").asLong();

        agent.kill();
        Files.delete(tokenFile); // the token Secret was deleted, as admins do once agents registered

        agent = startAgent("agent-2", "--state-secret", STATE);
        await("reconnected with the stored credential").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(fleet.bd("apps-app", "edge-1").path("status").path("reportedSequence").asLong())
                    .as(agent.output()).isGreaterThan(reportedBefore);
        });
        assertThat(agent.output()).contains("Using the stored credential of cluster fleet-default/edge-1 (secret " + STATE + ")");
        assertThat(stateSecret().getMetadata().getResourceVersion()).as("not registered again").isEqualTo(stored);
    }

    @Test
    void withoutACredentialOrATokenTheAgentSaysWhatIsMissing() throws Exception {
        Files.delete(tokenFile);
        agent = startAgent("agent-no-token", "--state-secret", STATE);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(agent.exitCode()).as(agent.output()).isPresent());
        assertThat(agent.exitCode().getAsInt()).isEqualTo(1);
        assertThat(agent.output()).contains("no credential in secret " + STATE + " for cluster edge-1")
                .contains("--token-file");
    }

    @Test
    void aMalformedStateSecretIsRefusedAtOnce() throws Exception {
        agent = startAgent("agent-bad-ref", "--state-secret", "flotilla-agent-state");
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.exitCode().isPresent());
        assertThat(agent.exitCode().getAsInt()).isEqualTo(2);
        assertThat(agent.output()).contains("--state-secret must be NAMESPACE/NAME");
    }
}

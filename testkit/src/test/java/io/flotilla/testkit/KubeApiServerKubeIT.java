package io.flotilla.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test API server itself: real version, real validation, watches, server-side apply, RBAC, audit counts. */
class KubeApiServerKubeIT {
    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();

    @Test
    void servesTheBuiltVersionWithRealValidationWatchesAndRbac() throws Exception {
        KubernetesClient admin = KUBE.get().client();
        assertThat(admin.getKubernetesVersion().getGitVersion()).isEqualTo(KubeApiServer.VERSION);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("smoke").endMetadata().build())
                .create();

        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch ignored = admin.configMaps().inNamespace("smoke").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            KubernetesClient agent = KUBE.get().newClient(KubeApiServer.User.AGENT);
            agent.configMaps().inNamespace("smoke").resource(new ConfigMapBuilder().withNewMetadata().withName("a")
                    .endMetadata().addToData("k", "v").build()).fieldManager("flotilla").forceConflicts().serverSideApply();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events).contains("ADDED a"));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(KUBE.get().writes(KubeApiServer.User.AGENT)).singleElement()
                            .satisfies(e -> assertThat(e.path("verb").asText()).isEqualTo("patch")));
        }

        assertThatThrownBy(() -> admin.configMaps().inNamespace("smoke").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("Bad_Name").endMetadata().build()).create())
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("RFC 1123");

        KubernetesClient restricted = KUBE.get().newClient(KubeApiServer.User.RESTRICTED);
        assertThatThrownBy(() -> restricted.configMaps().inNamespace("smoke").withName("a").get())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }

    @Test
    void apiServerRestartsOnItsDataAndPort() throws Exception {
        KubeApiServer server = KUBE.get();
        KubernetesClient admin = server.client();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("restart").endMetadata().build())
                .create();
        server.stopApiServer();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", server.url().getPort()).close())
                .isInstanceOf(java.io.IOException.class);
        server.restartApiServer();
        assertThat(admin.namespaces().withName("restart").get()).isNotNull();
    }
}

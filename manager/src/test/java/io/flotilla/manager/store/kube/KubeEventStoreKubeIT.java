package io.flotilla.manager.store.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.manager.events.AsyncEventRecorder;
import io.flotilla.manager.events.Event;
import io.flotilla.manager.events.EventCorrelator;
import io.flotilla.testkit.KubeApiServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kubernetes mode keeps events as native core/v1 Events on a real kube-apiserver: the API server's validation accepts
 * them, repeats patch count and lastTimestamp, the count bound deletes, and kubectl's field selectors find them.
 */
class KubeEventStoreKubeIT {
    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();
    private static final AtomicInteger TESTS = new AtomicInteger();

    private final String ns = "events-" + TESTS.incrementAndGet();
    private KubernetesClient kube;

    @BeforeEach
    void namespace() {
        kube = KUBE.get().client();
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .serverSideApply();
    }

    @Test
    void eventsAreNativeCountedBoundedAndSelectable() {
        KubeEventStore store = new KubeEventStore(kube);
        AsyncEventRecorder recorder = new AsyncEventRecorder(store, Clock.systemUTC(),
                new EventCorrelator.Settings(3, Duration.ofHours(1), 10, Duration.ofMinutes(10)),
                o -> o.name().equals("apps") ? "0b6f0c6c-3d7e-4d5b-9f1e-6c1f3c0f7a11" : "").start();
        try {
            for (int i = 0; i < 3; i++) {
                recorder.warning("GitRepo", ns, "apps", "FetchFailed", "Unreachable: cannot reach git://example/repo.git");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                var native1 = kube.v1().events().inNamespace(ns).withField("involvedObject.name", "apps").list().getItems();
                assertThat(native1).hasSize(1);
                io.fabric8.kubernetes.api.model.Event e = native1.get(0);
                assertThat(e.getCount()).isEqualTo(3);
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo("FetchFailed");
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("GitRepo");
                assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("flotilla.io/v1alpha1");
                assertThat(e.getInvolvedObject().getUid()).isEqualTo("0b6f0c6c-3d7e-4d5b-9f1e-6c1f3c0f7a11");
                assertThat(e.getSource().getComponent()).isEqualTo("flotilla-manager");
                assertThat(e.getFirstTimestamp()).isNotNull();
                assertThat(e.getLastTimestamp()).isNotNull();
                assertThat(e.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "flotilla");
            });
            assertThat(store.list(ns)).singleElement().satisfies(e -> {
                assertThat(e.count()).isEqualTo(3);
                assertThat(e.involved()).isEqualTo(new Event.InvolvedObject("GitRepo", ns, "apps",
                        "0b6f0c6c-3d7e-4d5b-9f1e-6c1f3c0f7a11"));
            });

            for (String cluster : List.of("c1", "c2", "c3")) {
                recorder.normal("Cluster", ns, cluster, "ClusterOnline", "agent connected again; the cluster is online");
            }
            // 4 events, at most 3 kept: the least recently seen (apps' FetchFailed) is deleted from the API server
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(kube.v1().events().inNamespace(ns).list().getItems()).extracting(e -> e.getInvolvedObject().getName())
                        .containsExactlyInAnyOrder("c1", "c2", "c3");
                assertThat(store.list(null)).extracting(e -> e.involved().name()).contains("c1", "c2", "c3")
                        .doesNotContain("apps");
            });
            // someone else's event in the namespace is not ours to list
            kube.v1().events().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                    .withNewMetadata().withName("other.1").endMetadata().withNewInvolvedObject().withKind("Pod")
                    .withNamespace(ns).withName("p").endInvolvedObject().withReason("Pulled").withType("Normal")
                    .withMessage("x").build()).create();
            assertThat(store.list(ns)).hasSize(3);
            assertThat(recorder.failed()).isZero();
        } finally {
            recorder.close();
        }
    }
}

package io.flotilla.manager.store;

import io.flotilla.manager.events.AsyncEventRecorder;
import io.flotilla.manager.events.Event;
import io.flotilla.manager.events.EventCorrelator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Events in the embedded store: aggregated, bounded, kept across a restart, listed by namespace. */
class MvEventStoreTest {
    @TempDir
    Path dir;

    private static final EventCorrelator.Settings THREE = new EventCorrelator.Settings(3, Duration.ofHours(1), 10,
            Duration.ofMinutes(10));

    private static List<Event> sorted(List<Event> events) {
        return events.stream().sorted(Comparator.comparing(Event::lastTimestamp)).toList();
    }

    @Test
    void repeatsAggregateTheCountBoundHoldsAndEventsSurviveARestart() {
        try (MvStoreStore store = MvStoreStore.open(dir)) {
            MvEventStore events = new MvEventStore(store);
            AsyncEventRecorder recorder = new AsyncEventRecorder(events, Clock.systemUTC(), THREE, o -> "").start();
            for (int i = 0; i < 3; i++) {
                recorder.warning("GitRepo", "ns-a", "apps", "FetchFailed", "Unreachable: connection refused");
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                List<Event> listed = events.list("ns-a");
                assertThat(listed).hasSize(1);
                assertThat(listed.get(0).count()).isEqualTo(3);
                assertThat(listed.get(0).type()).isEqualTo(Event.EventType.WARNING);
            });
            for (String m : List.of("m1", "m2", "m3")) {
                recorder.normal("Cluster", "ns-b", "c1", "BundleDeploymentsCreated", m);
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                // 4 events recorded, at most 3 kept: the least recently seen (the FetchFailed one) went
                assertThat(events.list(null)).hasSize(3);
                assertThat(events.list("ns-a")).isEmpty();
                assertThat(sorted(events.list("ns-b")).stream().map(Event::message).toList())
                        .containsExactly("m1", "m2", "m3");
            });
            recorder.close();
            assertThat(recorder.failed()).isZero();
        }
        try (MvStoreStore reopened = MvStoreStore.open(dir)) {
            MvEventStore events = new MvEventStore(reopened);
            assertThat(sorted(events.list(null)).stream().map(Event::message).toList()).containsExactly("m1", "m2", "m3");
            AsyncEventRecorder recorder = new AsyncEventRecorder(events, Clock.systemUTC(), THREE, o -> "").start();
            recorder.normal("Cluster", "ns-b", "c1", "BundleDeploymentsCreated", "m2");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.list("ns-b"))
                    .anySatisfy(e -> {
                        assertThat(e.message()).isEqualTo("m2");
                        assertThat(e.count()).isEqualTo(2); // counted on the event stored before the restart
                    }));
            recorder.close();
        }
    }

    @Test
    void resyncCountsOnEventsAnotherWriterStoredMeanwhile() {
        try (MvStoreStore store = MvStoreStore.open(dir)) {
            MvEventStore events = new MvEventStore(store);
            AsyncEventRecorder replicaA = new AsyncEventRecorder(events, Clock.systemUTC(), THREE, o -> "").start();
            AsyncEventRecorder replicaB = new AsyncEventRecorder(events, Clock.systemUTC(), THREE, o -> "").start();
            replicaA.normal("GitRepo", "ns", "apps", "CommitFetched", "fetched commit 1");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.list("ns").size() == 1);
            replicaB.resync(); // B takes over: it counts on what A wrote
            replicaB.normal("GitRepo", "ns", "apps", "CommitFetched", "fetched commit 1");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.list("ns"))
                    .singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(2)));
            replicaA.close();
            replicaB.close();
        }
    }

    @Test
    void aFailingStoreNeitherBlocksNorThrowsAndIsCounted() {
        io.flotilla.manager.events.EventStore broken = new io.flotilla.manager.events.EventStore() {
            @Override
            public void upsert(Event event) {
                throw new IllegalStateException("API server unreachable");
            }

            @Override
            public void delete(Event event) {
            }

            @Override
            public List<Event> list(String namespace) {
                return List.of();
            }
        };
        AsyncEventRecorder recorder = new AsyncEventRecorder(broken, Clock.systemUTC(), THREE, o -> "").start();
        recorder.normal("GitRepo", "ns", "apps", "CommitFetched", "fetched commit 1");
        recorder.normal("GitRepo", "ns", "apps", "CommitFetched", "fetched commit 2");
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.failed() == 2);
        recorder.close();
        recorder.normal("GitRepo", "ns", "apps", "CommitFetched", "after close");
        assertThat(recorder.dropped()).isEqualTo(1);
    }
}

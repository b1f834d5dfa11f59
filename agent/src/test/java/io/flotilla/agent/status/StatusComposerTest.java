package io.flotilla.agent.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.agent.drift.ModifiedEntry;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.readiness.NonReadyStatus;
import io.flotilla.agent.readiness.ObjectSummary;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusComposerTest {
    private static final ObjectRef A = new ObjectRef("v1", "ConfigMap", "ns", "a");
    private static final ObjectRef B = new ObjectRef("v1", "ConfigMap", "ns", "b");
    private static final ObjectRef C = new ObjectRef("apps/v1", "Deployment", "ns", "c");
    private static final ObjectRef GONE = new ObjectRef("v1", "Secret", "ns", "gone");
    private static final ObjectSummary PROGRESSING = new ObjectSummary("in-progress", false, true, List.of("Replicas: 0/1"));

    private static NonReadyStatus nonReady(ObjectRef ref) {
        return new NonReadyStatus("uid-" + ref.name(), ref, PROGRESSING);
    }

    /** name, non-ready, modified, expected counts, expected Ready condition message. */
    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("all ready", List.of(), List.of(), new ResourceCounts(3, 3, 0, 0, 0, 0, 0, 0), ""),
                arguments("one not ready", List.of(nonReady(C)), List.of(), new ResourceCounts(2, 3, 0, 0, 0, 0, 0, 1),
                        "deployment.apps ns/c [progressing] Replicas: 0/1"),
                arguments("one missing", List.of(), List.of(ModifiedEntry.missing(A)),
                        new ResourceCounts(2, 3, 0, 0, 0, 1, 0, 0), "configmap.v1 ns/a missing"),
                arguments("one modified", List.of(), List.of(ModifiedEntry.modified(B, "{\"data\":null}")),
                        new ResourceCounts(2, 3, 0, 1, 0, 0, 0, 0), "configmap.v1 ns/b modified {\"data\":null}"),
                arguments("one orphaned", List.of(), List.of(ModifiedEntry.extra(GONE)),
                        new ResourceCounts(3, 3, 0, 0, 1, 0, 0, 0), "secret.v1 ns/gone extra"),
                arguments("not ready and modified count once each", List.of(nonReady(C)),
                        List.of(ModifiedEntry.modified(C, "{}"), ModifiedEntry.notOwned(A)),
                        new ResourceCounts(1, 3, 0, 1, 0, 1, 0, 0), "deployment.apps ns/c [progressing] Replicas: 0/1"),
                arguments("missing object outside the plan adds to desiredReady", List.of(),
                        List.of(ModifiedEntry.missing(GONE)), new ResourceCounts(3, 4, 0, 0, 0, 1, 0, 0),
                        "secret.v1 ns/gone missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void composes(String name, List<NonReadyStatus> nonReady, List<ModifiedEntry> modified, ResourceCounts counts,
                  String readyMessage) {
        BdStatusReport report = StatusComposer.compose("bd", "d1", null, List.of(A, B, C), Map.of(A, "t0"), nonReady,
                modified);

        assertThat(report.resourceCounts()).isEqualTo(counts);
        assertThat(report.ready()).isEqualTo(nonReady.isEmpty());
        assertThat(report.nonModified()).isEqualTo(modified.isEmpty());
        assertThat(report.condition("Ready").message()).isEqualTo(readyMessage);
        assertThat(report.condition("Ready").isTrue()).isEqualTo(readyMessage.isEmpty());
        assertThat(report.condition("Deployed").isTrue()).isTrue();
        assertThat(report.resources()).containsExactly(new ResourceEntry("ConfigMap", "v1", "ns", "a", "t0"),
                new ResourceEntry("ConfigMap", "v1", "ns", "b", ""), new ResourceEntry("Deployment", "apps/v1", "ns", "c", ""));
        assertThat(report.incompleteState()).isFalse();
    }

    @Test
    void listsAreCutAtTenWithIncompleteState() {
        List<ObjectRef> refs = IntStream.range(0, 12).mapToObj(i -> new ObjectRef("v1", "Pod", "ns", "p" + i)).toList();
        BdStatusReport report = StatusComposer.compose("bd", "d1", null, refs, Map.of(),
                refs.stream().map(StatusComposerTest::nonReady).toList(), List.of());

        assertThat(report.nonReadyStatus()).hasSize(10);
        assertThat(report.incompleteState()).isTrue();
        assertThat(report.resourceCounts().notReady()).isEqualTo(12);
    }

    @Test
    void invalidObjectsLeaveTheBdNotReadyWithTheIdApplied() {
        BdStatusReport report = StatusComposer.compose("bd", "d2", ApplyFailure.notInstalled("x is invalid"),
                List.of(A), Map.of(), List.of(), List.of());

        assertThat(report.appliedDeploymentId()).isEqualTo("d2");
        assertThat(report.ready()).isFalse();
        assertThat(report.nonModified()).isTrue();
        assertThat(report.errApplied()).isFalse();
        assertThat(report.conditions()).containsExactly(Condition.ok("Deployed"),
                Condition.failed("Installed", "not installed: x is invalid"), Condition.ok("Monitored"),
                Condition.failed("Ready", "not ready: x is invalid"));
    }

    @Test
    void otherApplyErrorsAreErrApplied() {
        BdStatusReport report = StatusComposer.compose("bd", "d1", ApplyFailure.errApplied("forbidden"), List.of(A),
                Map.of(), List.of(), List.of());

        assertThat(report.errApplied()).isTrue();
        assertThat(report.message()).isEqualTo("forbidden");
        assertThat(report.condition("Deployed")).isEqualTo(Condition.failed("Deployed", "forbidden"));
    }

    @Test
    void monitorFailureIsReportedInMonitored() {
        BdStatusReport report = StatusComposer.monitorFailed("bd", "d1", "connection refused");

        assertThat(report.condition("Monitored")).isEqualTo(Condition.failed("Monitored", "connection refused"));
        assertThat(report.ready()).isFalse();
    }
}

package io.flotilla.manager.status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** §6.2 GetSummaryState and §6.4 Ready message. */
class SummaryTest {
    private static final ResourceRef CM = new ResourceRef("ConfigMap", "v1", "default", "cm");

    private static SummaryItem item(String name, BundleState state, String message, int modified, int nonReady) {
        return new SummaryItem(name, state, message,
                IntStream.range(0, modified).mapToObj(i -> new Modified(
                        new ResourceRef("ConfigMap", "v1", "default", "cm" + i), true, false, false, "")).toList(),
                IntStream.range(0, nonReady).mapToObj(i -> new NonReady("", new ResourceRef("Pod", "v1", "default",
                        "p" + i), "pending", false, false, List.of())).toList());
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                arguments("ready", Map.of(BundleState.READY, 3), List.of(), "Bundle", "", null),
                arguments("one state with message",
                        Map.of(BundleState.ERR_APPLIED, 2), List.of(item("b", BundleState.ERR_APPLIED, "boom", 0, 0),
                                item("a", BundleState.ERR_APPLIED, "other", 0, 0)),
                        "Bundle", "ErrApplied(2) [Bundle b: boom]", BundleState.ERR_APPLIED),
                arguments("messages sorted by byte order",
                        Map.of(BundleState.WAIT_APPLIED, 1, BundleState.MODIFIED, 1),
                        List.of(item("x", BundleState.WAIT_APPLIED, "", 0, 0), item("y", BundleState.MODIFIED, "", 1, 0)),
                        "Cluster", "Modified(1) [Cluster y]; WaitApplied(1) [Cluster x]; configmap.v1 default/cm0 missing",
                        BundleState.WAIT_APPLIED),
                arguments("at most four details of each list",
                        Map.of(BundleState.NOT_READY, 1), List.of(item("a", BundleState.NOT_READY, "", 5, 6)), "Bundle",
                        "NotReady(1) [Bundle a]; configmap.v1 default/cm0 missing; configmap.v1 default/cm1 missing; "
                                + "configmap.v1 default/cm2 missing; configmap.v1 default/cm3 missing; "
                                + "pod.v1 default/p0 pending; pod.v1 default/p1 pending; pod.v1 default/p2 pending; "
                                + "pod.v1 default/p3 pending",
                        BundleState.NOT_READY),
                arguments("a counted state without a listed item says nothing",
                        Map.of(BundleState.NOT_READY, 1, BundleState.OUT_OF_SYNC, 1),
                        List.of(item("a", BundleState.NOT_READY, "", 0, 0)), "Bundle", "NotReady(1) [Bundle a]",
                        BundleState.NOT_READY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void readyMessageAndState(String name, Map<BundleState, Integer> counts, List<SummaryItem> items, String kind,
                              String message, BundleState summaryState) {
        Summary summary = new Summary(counts, counts.values().stream().mapToInt(Integer::intValue).sum(), items);
        assertThat(summary.readyMessage(kind)).isEqualTo(message);
        assertThat(summary.summaryState()).isEqualTo(summaryState);
    }

    @Test
    void jsonOmitsZeroCountersButNotReadyAndDesiredReady() {
        Summary summary = new Summary(Map.of(BundleState.MODIFIED, 1), 1,
                List.of(new SummaryItem("a", BundleState.MODIFIED, "", List.of(new Modified(CM, false, false, false,
                        "{\"data\":null}")), List.of())));
        assertThat(summary.toMap()).isEqualTo(Map.of("modified", 1, "ready", 0, "desiredReady", 1,
                "nonReadyResources", List.of(Map.of("name", "a", "bundleState", "Modified", "modifiedStatus",
                        List.of(Map.of("kind", "ConfigMap", "apiVersion", "v1", "namespace", "default", "name", "cm",
                                "patch", "{\"data\":null}"))))));
        assertThat(summary.toMap().keySet()).containsExactly("modified", "ready", "desiredReady", "nonReadyResources");
    }
}

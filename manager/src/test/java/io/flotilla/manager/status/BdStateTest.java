package io.flotilla.manager.status;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class BdStateTest {

    private static BdSnapshot bd(String deploymentId, String staged, BdReport report) {
        return new BdSnapshot("cluster-ns-c1", "app", "fleet-default", "app", "gr", "fleet-default", "c1",
                deploymentId, staged, false, report);
    }

    private static BdReport report(String applied, boolean ready, boolean nonModified, boolean errApplied,
                                   String deployed, String installed, String monitored) {
        return new BdReport(applied, ready, nonModified, List.of(), List.of(), false, ResourceCounts.ZERO, List.of(),
                errApplied, deployed, installed, monitored);
    }

    static Stream<Arguments> states() {
        return Stream.of(
                // case, BD, state, message, state the Bundle shows
                arguments("never reported", bd("d1", "d1", null), BundleState.WAIT_APPLIED, "", BundleState.WAIT_APPLIED),
                arguments("older id applied", bd("d2", "d2", report("d1", true, true, false, "", "", "")),
                        BundleState.WAIT_APPLIED, "", BundleState.WAIT_APPLIED),
                arguments("apply failed", bd("d2", "d2", report("d1", true, true, true, "install failed", "", "")),
                        BundleState.ERR_APPLIED, "install failed", BundleState.ERR_APPLIED),
                arguments("applied, not ready", bd("d1", "d1", report("d1", false, true, false, "", "", "")),
                        BundleState.NOT_READY, "", BundleState.NOT_READY),
                arguments("not ready wins over staged change", bd("d1", "d2", report("d1", false, false, false, "", "", "")),
                        BundleState.NOT_READY, "", BundleState.WAIT_APPLIED),
                arguments("paused with staged change", bd("d1", "d2", report("d1", true, true, false, "", "", "")),
                        BundleState.OUT_OF_SYNC, "", BundleState.WAIT_APPLIED),
                arguments("drifted", bd("d1", "d1", report("d1", true, false, false, "", "", "")),
                        BundleState.MODIFIED, "", BundleState.MODIFIED),
                arguments("ready", bd("d1", "d1", report("d1", true, true, false, "", "", "")),
                        BundleState.READY, "", BundleState.READY),
                arguments("Deployed message first", bd("d1", "d1", report("d1", true, true, false, "dep", "inst", "mon")),
                        BundleState.READY, "dep", BundleState.READY),
                arguments("Installed message when applied id is current",
                        bd("d1", "d1", report("d1", false, true, false, "", "inst", "mon")),
                        BundleState.NOT_READY, "inst", BundleState.NOT_READY),
                arguments("Installed message ignored for an older id (#4780)",
                        bd("d2", "d2", report("d1", true, true, false, "", "stale install error", "mon")),
                        BundleState.WAIT_APPLIED, "mon", BundleState.WAIT_APPLIED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void stateAndMessage(String name, BdSnapshot bd, BundleState state, String message, BundleState bundleState) {
        assertThat(BdState.of(bd)).isEqualTo(new BdState(state, message));
        assertThat(BdState.forBundle(bd).state()).isEqualTo(bundleState);
    }

    static Stream<Arguments> ranks() {
        return Stream.of(arguments(BundleState.ERR_APPLIED, 7), arguments(BundleState.WAIT_APPLIED, 6),
                arguments(BundleState.MODIFIED, 5), arguments(BundleState.OUT_OF_SYNC, 4),
                arguments(BundleState.PENDING, 3), arguments(BundleState.NOT_READY, 2), arguments(BundleState.READY, 1));
    }

    @ParameterizedTest
    @MethodSource("ranks")
    void rankOrder(BundleState state, int rank) {
        assertThat(state.rank()).isEqualTo(rank);
        assertThat(BundleState.worse(null, state)).isEqualTo(state);
        assertThat(BundleState.worse(state, BundleState.READY)).isEqualTo(state);
    }
}

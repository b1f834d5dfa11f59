package io.flotilla.manager.rollout;

import io.flotilla.bundle.options.IntOrString;
import io.flotilla.bundle.options.RolloutStrategy;
import io.flotilla.manager.rollout.RolloutPlanner.Bd;
import io.flotilla.manager.rollout.RolloutPlanner.Plan;
import io.flotilla.manager.rollout.RolloutPlanner.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** fleet-semantics §8 as tables: limits, partitions (manual and automatic), promotion, maxNew, pausing. */
class RolloutPlannerTest {
    private static final String OLD = "s-1:old";
    private static final String NEW = "s-1:new";

    private static IntOrString v(String text) {
        if (text == null || text.equals("null")) {
            return null;
        }
        return text.startsWith("s:") ? IntOrString.of(text.substring(2)) : IntOrString.of(Integer.parseInt(text));
    }

    /** Integers are written as is, strings with a prefix: {@code s:25%}. */
    @ParameterizedTest(name = "limit({0}, {1}, {2}) = {3}")
    @CsvSource(nullValues = "null", value = {
            "10, null,  null,  10",   // default 100%
            "0,  null,  null,  1",    // a count of 0 counts as 1
            "10, 3,     null,  3",
            "10, 15,    null,  10",   // integers are clamped to the count
            "10, -1,    null,  0",
            "10, s:3,    null,  3",    // an integer string is taken as it is ...
            "10, s:15,   null,  15",   // ... and not clamped
            "10, s:25%,  null,  2",    // floor(10 x 25 / 100)
            "10, s:5%,   null,  1",    // at least 1
            "10, s:0%,   null,  1",
            "10, s:150%, null,  10",   // at most the count
            "10, null,  s:30%,  3",    // the first value that is set
            "10, 4,     s:30%,  4",
            "200, s:25%, null,  50"})
    void limits(int count, String first, String second, int expected) {
        assertThat(RolloutPlanner.limit("maxUnavailable", count, v(first), v(second))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"abc, neither a number nor a percentage", "0, neither a number nor a percentage",
            "x%, not a valid percentage"})
    void limitsThatAreNeitherNumbersNorPercentagesAreErrors(String value, String message) {
        assertThatThrownBy(() -> RolloutPlanner.limit("maxUnavailable", 10, IntOrString.of(value)))
                .hasMessageContaining("rolloutStrategy.maxUnavailable").hasMessageContaining(message);
    }

    private static Bd ready(String id) {
        return new Bd(id, id, id, true);
    }

    private static Target target(String cluster, Bd bd, Integer... partitions) {
        return new Target(cluster, NEW, List.of(partitions), bd, false);
    }

    private static RolloutStrategy strategy(IntOrString maxUnavailable, IntOrString maxUnavailablePartitions,
                                            List<RolloutStrategy.Partition> partitions) {
        return new RolloutStrategy(maxUnavailable, maxUnavailablePartitions, null, null, partitions);
    }

    private static RolloutStrategy.Partition partition(String name, IntOrString maxUnavailable) {
        return new RolloutStrategy.Partition(name, maxUnavailable, null, null, null, null);
    }

    private static final List<RolloutStrategy.Partition> THREE = List.of(partition("p1", null), partition("p2", null),
            partition("p3", null));

    @Test
    void withoutAStrategyEverythingIsCreatedStagedAndPromotedAtOnce() {
        Plan plan = RolloutPlanner.plan(null, List.of(target("c1", null), target("c2", ready(OLD)),
                target("c3", new Bd(OLD, OLD, OLD, false))), RolloutPlanner.MAX_NEW);
        assertThat(plan.create()).containsExactly("c1");
        assertThat(plan.stage()).containsExactlyInAnyOrder("c1", "c2", "c3");
        assertThat(plan.promote()).containsExactlyInAnyOrder("c1", "c2", "c3");
        assertThat(plan.figures().partitions()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("All");
            assertThat(p.count()).isEqualTo(3);
            assertThat(p.maxUnavailable()).isEqualTo(3);
        });
        assertThat(plan.figures().maxUnavailable()).isEqualTo(3);
        assertThat(plan.figures().maxUnavailablePartitions()).isZero();
    }

    /** The acceptance case: maxUnavailable 1 over three partitions; each waits for the one before to be ready. */
    @Test
    void maxUnavailableOneOverThreePartitionsPromotesOnePartitionAfterTheOther() {
        RolloutStrategy s = strategy(IntOrString.of(1), null, THREE);
        // every cluster runs the old version, ready
        Plan step1 = RolloutPlanner.plan(s, List.of(target("c1", ready(OLD), 0), target("c2", ready(OLD), 1),
                target("c3", ready(OLD), 2)), RolloutPlanner.MAX_NEW);
        assertThat(step1.promote()).containsExactly("c1");
        assertThat(step1.stage()).containsExactlyInAnyOrder("c1", "c2", "c3");
        assertThat(step1.figures().partitions()).extracting(RolloutPlanner.PartitionStatus::unavailable)
                .containsExactly(1, 1, 1);
        // c1 released but not applied yet: nothing more
        Plan step2 = RolloutPlanner.plan(s, List.of(target("c1", new Bd(NEW, NEW, OLD, true), 0),
                target("c2", new Bd(OLD, NEW, OLD, true), 1), target("c3", new Bd(OLD, NEW, OLD, true), 2)),
                RolloutPlanner.MAX_NEW);
        assertThat(step2.promote()).isEmpty();
        // c1 applied but not ready: still nothing
        Plan step3 = RolloutPlanner.plan(s, List.of(target("c1", new Bd(NEW, NEW, NEW, false), 0),
                target("c2", new Bd(OLD, NEW, OLD, true), 1), target("c3", new Bd(OLD, NEW, OLD, true), 2)),
                RolloutPlanner.MAX_NEW);
        assertThat(step3.promote()).isEmpty();
        // c1 ready: c2's turn
        Plan step4 = RolloutPlanner.plan(s, List.of(target("c1", ready(NEW), 0),
                target("c2", new Bd(OLD, NEW, OLD, true), 1), target("c3", new Bd(OLD, NEW, OLD, true), 2)),
                RolloutPlanner.MAX_NEW);
        assertThat(step4.promote()).containsExactly("c2");
        // c2 ready: c3's turn
        Plan step5 = RolloutPlanner.plan(s, List.of(target("c1", ready(NEW), 0), target("c2", ready(NEW), 1),
                target("c3", new Bd(OLD, NEW, OLD, true), 2)), RolloutPlanner.MAX_NEW);
        assertThat(step5.promote()).containsExactly("c3");
    }

    @Test
    void brandNewAndUnavailableBdsArePromotedWhateverTheLimit() {
        RolloutStrategy s = strategy(IntOrString.of(1), null, null);
        Plan plan = RolloutPlanner.plan(s, List.of(target("c1", null), target("c2", null),
                target("c3", new Bd(OLD, OLD, OLD, false)), target("c4", ready(OLD)), target("c5", ready(OLD))),
                RolloutPlanner.MAX_NEW);
        // c3 is unavailable already (1 of 1): no available BD may become unavailable
        assertThat(plan.promote()).containsExactlyInAnyOrder("c1", "c2", "c3");
    }

    @Test
    void pausedTargetsAreStagedButNotPromoted() {
        Plan plan = RolloutPlanner.plan(null, List.of(new Target("c1", NEW, List.of(), ready(OLD), true),
                new Target("c2", NEW, List.of(), null, true), target("c3", ready(OLD))), RolloutPlanner.MAX_NEW);
        assertThat(plan.create()).containsExactly("c2");
        assertThat(plan.stage()).containsExactlyInAnyOrder("c1", "c2", "c3");
        assertThat(plan.promote()).containsExactly("c3");
    }

    @Test
    void manualPartitionsTakeTheirMembersAndTargetsInNoneAreLeftAlone() {
        RolloutStrategy s = strategy(null, null, List.of(partition("a", null), partition("b", IntOrString.of("50%")),
                partition(null, null)));
        Plan plan = RolloutPlanner.plan(s, List.of(target("c1", ready(OLD), 0, 1), target("c2", ready(OLD), 1),
                target("c3", null), target("c4", ready(OLD))), RolloutPlanner.MAX_NEW);
        assertThat(plan.create()).isEmpty();
        assertThat(plan.stage()).containsExactlyInAnyOrder("c1", "c2");
        assertThat(plan.promote()).containsExactlyInAnyOrder("c1", "c2");
        assertThat(plan.figures().partitions()).extracting(RolloutPlanner.PartitionStatus::name)
                .containsExactly("a", "b", "partitions[2]");
        assertThat(plan.figures().partitions()).extracting(RolloutPlanner.PartitionStatus::count)
                .containsExactly(1, 2, 0);
        assertThat(plan.figures().partitions().get(1).maxUnavailable()).isEqualTo(1);
        assertThat(plan.figures().partitions().get(1).clusters()).containsExactly("c1", "c2");
    }

    @Test
    void aPartitionOverItsLimitStopsTheFollowingOnes() {
        RolloutStrategy s = strategy(null, null, List.of(partition("p1", IntOrString.of(1)), partition("p2", null)));
        Plan plan = RolloutPlanner.plan(s, List.of(target("c1", ready(OLD), 0), target("c2", ready(OLD), 0),
                target("c3", ready(OLD), 1)), RolloutPlanner.MAX_NEW);
        assertThat(plan.promote()).containsExactly("c1");
        assertThat(plan.stage()).containsExactlyInAnyOrder("c1", "c2");
        assertThat(plan.figures().unavailablePartitions()).isEqualTo(1);
        assertThat(plan.figures().partitions()).hasSize(2); // listed even after the stop

        // with one unavailable partition allowed, p2 is processed too
        RolloutStrategy lenient = strategy(null, IntOrString.of(1), s.partitions());
        Plan more = RolloutPlanner.plan(lenient, List.of(target("c1", ready(OLD), 0), target("c2", ready(OLD), 0),
                target("c3", ready(OLD), 1)), RolloutPlanner.MAX_NEW);
        assertThat(more.promote()).containsExactlyInAnyOrder("c1", "c3");
        assertThat(more.figures().maxUnavailablePartitions()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} targets, autoPartitionSize {1}, threshold {2}: {3}")
    @CsvSource(nullValues = "null", delimiter = '|', value = {
            "199 | null  | null | All",
            "200 | null  | null | Partition 0 - 50,Partition 50 - 100,Partition 100 - 150,Partition 150 - 200",
            "200 | 0     | null | All",
            "10  | s:30%  | 10   | Partition 0 - 3,Partition 3 - 6,Partition 6 - 9,Partition 9 - 10",
            "10  | 4     | 5    | Partition 0 - 4,Partition 4 - 8,Partition 8 - 10",
            "10  | 4     | 0    | All"})
    void automaticPartitions(int targets, String size, Integer threshold, String names) {
        RolloutStrategy s = new RolloutStrategy(null, null, v(size), threshold, null);
        List<Target> list = new ArrayList<>();
        IntStream.range(0, targets).forEach(i -> list.add(target(String.format("c%03d", i), ready(OLD))));
        Plan plan = RolloutPlanner.plan(s, list, RolloutPlanner.MAX_NEW);
        assertThat(String.join(",", plan.figures().partitions().stream().map(RolloutPlanner.PartitionStatus::name)
                .toList())).isEqualTo(names);
    }

    @Test
    void atMostMaxNewBdsAreCreatedPerStep() {
        List<Target> list = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> list.add(target(String.format("c%02d", i), null)));
        Plan plan = RolloutPlanner.plan(null, list, RolloutPlanner.MAX_NEW);
        assertThat(plan.create()).hasSize(50).contains("c00", "c49").doesNotContain("c50");
        assertThat(plan.promote()).isEqualTo(plan.create());
        assertThat(plan.figures().newlyCreated()).isEqualTo(50);
        assertThat(plan.figures().maxNew()).isEqualTo(50);
        assertThat(Set.copyOf(plan.stage())).isEqualTo(plan.create());
    }
}

package io.flotilla.manager.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EventCorrelatorTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final EventCorrelator.Settings SMALL = new EventCorrelator.Settings(100, Duration.ofHours(1), 3,
            Duration.ofMinutes(10));

    /** One occurrence: seconds after T0, on GitRepo {@code object}, Warning when reason starts with "Fail". */
    record Step(long at, String object, String reason, String message) {
        Event.Draft draft() {
            return new Event.Draft(reason.startsWith("Fail") ? Event.EventType.WARNING : Event.EventType.NORMAL,
                    new Event.InvolvedObject("GitRepo", "ns", object), reason, message);
        }
    }

    /** A kept event: its object, reason, message, count, first and last time (seconds after T0). */
    record Kept(String object, String reason, String message, int count, long first, long last) {
        static Kept of(Event e) {
            return new Kept(e.involved().name(), e.reason(), e.message(), e.count(),
                    Duration.between(T0, e.firstTimestamp()).toSeconds(), Duration.between(T0, e.lastTimestamp()).toSeconds());
        }
    }

    static Stream<Arguments> aggregation() {
        return Stream.of(
                Arguments.of("identical occurrences count on one event",
                        List.of(new Step(0, "a", "FetchFailed", "unreachable"), new Step(10, "a", "FetchFailed", "unreachable"),
                                new Step(20, "a", "FetchFailed", "unreachable")),
                        List.of(new Kept("a", "FetchFailed", "unreachable", 3, 0, 20))),
                Arguments.of("different messages are different events",
                        List.of(new Step(0, "a", "CommitFetched", "fetched commit 1"), new Step(5, "a", "CommitFetched", "fetched commit 2")),
                        List.of(new Kept("a", "CommitFetched", "fetched commit 2", 1, 5, 5),
                                new Kept("a", "CommitFetched", "fetched commit 1", 1, 0, 0))),
                Arguments.of("the same message about another object is another event",
                        List.of(new Step(0, "a", "FetchFailed", "x"), new Step(1, "b", "FetchFailed", "x")),
                        List.of(new Kept("b", "FetchFailed", "x", 1, 1, 1), new Kept("a", "FetchFailed", "x", 1, 0, 0))),
                Arguments.of("beyond 3 distinct messages in the window, further ones are combined into one event",
                        List.of(new Step(0, "a", "FailApply", "m1"), new Step(1, "a", "FailApply", "m2"),
                                new Step(2, "a", "FailApply", "m3"), new Step(3, "a", "FailApply", "m4"),
                                new Step(4, "a", "FailApply", "m5")),
                        List.of(new Kept("a", "FailApply", EventCorrelator.COMBINED_PREFIX + "m5", 2, 3, 4),
                                new Kept("a", "FailApply", "m3", 1, 2, 2), new Kept("a", "FailApply", "m2", 1, 1, 1),
                                new Kept("a", "FailApply", "m1", 1, 0, 0))),
                Arguments.of("a message already kept still counts on its own event when the window is full",
                        List.of(new Step(0, "a", "FailApply", "m1"), new Step(1, "a", "FailApply", "m2"),
                                new Step(2, "a", "FailApply", "m3"), new Step(3, "a", "FailApply", "m1")),
                        List.of(new Kept("a", "FailApply", "m1", 2, 0, 3), new Kept("a", "FailApply", "m3", 1, 2, 2),
                                new Kept("a", "FailApply", "m2", 1, 1, 1))),
                Arguments.of("after the similar-events window a new message is an event of its own again",
                        List.of(new Step(0, "a", "FailApply", "m1"), new Step(1, "a", "FailApply", "m2"),
                                new Step(2, "a", "FailApply", "m3"), new Step(700, "a", "FailApply", "m4")),
                        List.of(new Kept("a", "FailApply", "m4", 1, 700, 700), new Kept("a", "FailApply", "m3", 1, 2, 2),
                                new Kept("a", "FailApply", "m2", 1, 1, 1), new Kept("a", "FailApply", "m1", 1, 0, 0))),
                Arguments.of("other reasons of the same object have their own window",
                        List.of(new Step(0, "a", "FailApply", "m1"), new Step(1, "a", "FailApply", "m2"),
                                new Step(2, "a", "FailApply", "m3"), new Step(3, "a", "Other", "m4")),
                        List.of(new Kept("a", "Other", "m4", 1, 3, 3), new Kept("a", "FailApply", "m3", 1, 2, 2),
                                new Kept("a", "FailApply", "m2", 1, 1, 1), new Kept("a", "FailApply", "m1", 1, 0, 0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aggregation")
    void aggregatesLikeKubernetes(String name, List<Step> steps, List<Kept> expected) {
        EventCorrelator correlator = new EventCorrelator(SMALL);
        List<String> names = new ArrayList<>();
        for (Step s : steps) {
            Event written = correlator.observe(s.draft(), T0.plusSeconds(s.at()));
            names.add(written.name());
            assertThat(written.lastTimestamp()).isEqualTo(T0.plusSeconds(s.at()));
            assertThat(written.namespace()).isEqualTo("ns");
            assertThat(written.name()).startsWith(s.object() + ".");
        }
        assertThat(correlator.events().stream().map(Kept::of).toList()).containsExactlyElementsOf(expected);
        // a repeat is written under the name of the event it counts on: as many names as kept events
        assertThat(names.stream().distinct().count()).isEqualTo(expected.size());
    }

    static Stream<Arguments> retention() {
        EventCorrelator.Settings twoEventsOneMinute = new EventCorrelator.Settings(2, Duration.ofMinutes(1), 10, Duration.ofMinutes(10));
        return Stream.of(
                Arguments.of("events last seen longer ago than maxAge go", twoEventsOneMinute,
                        List.of(new Step(0, "a", "R", "old"), new Step(100, "a", "R", "new")), 100L,
                        List.of("old"), List.of("new")),
                Arguments.of("a repeat keeps an event alive", twoEventsOneMinute,
                        List.of(new Step(0, "a", "R", "old"), new Step(90, "a", "R", "old")), 100L,
                        List.of(), List.of("old")),
                Arguments.of("beyond maxEvents the least recently seen go", twoEventsOneMinute,
                        List.of(new Step(0, "a", "R", "m1"), new Step(1, "a", "R", "m2"), new Step(2, "a", "R", "m3"),
                                new Step(3, "a", "R", "m1")), 10L,
                        List.of("m2"), List.of("m1", "m3")),
                Arguments.of("nothing goes while within both bounds", twoEventsOneMinute,
                        List.of(new Step(0, "a", "R", "m1"), new Step(1, "a", "R", "m2")), 30L,
                        List.of(), List.of("m2", "m1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retention")
    void retentionIsBoundedByAgeAndCount(String name, EventCorrelator.Settings settings, List<Step> steps, long expireAt,
                                         List<String> expiredMessages, List<String> keptMessages) {
        EventCorrelator correlator = new EventCorrelator(settings);
        steps.forEach(s -> correlator.observe(s.draft(), T0.plusSeconds(s.at())));
        assertThat(correlator.expire(T0.plusSeconds(expireAt)).stream().map(Event::message).toList())
                .containsExactlyInAnyOrderElementsOf(expiredMessages);
        assertThat(correlator.events().stream().map(Event::message).toList()).containsExactlyElementsOf(keptMessages);
    }

    @Test
    void anExpiredEventIsNotCountedOnAnyMore() {
        EventCorrelator correlator = new EventCorrelator(new EventCorrelator.Settings(10, Duration.ofMinutes(1), 10,
                Duration.ofMinutes(10)));
        Event first = correlator.observe(new Step(0, "a", "R", "m").draft(), T0);
        correlator.expire(T0.plusSeconds(120));
        Event again = correlator.observe(new Step(120, "a", "R", "m").draft(), T0.plusSeconds(120));
        assertThat(again.count()).isEqualTo(1);
        assertThat(again.name()).isNotEqualTo(first.name());
    }

    @Test
    void restoredEventsKeepCountingAfterARestart() {
        EventCorrelator before = new EventCorrelator(SMALL);
        before.observe(new Step(0, "a", "FetchFailed", "x").draft(), T0);
        Event stored = before.observe(new Step(1, "a", "FetchFailed", "x").draft(), T0.plusSeconds(1));
        EventCorrelator after = new EventCorrelator(SMALL);
        after.restore(List.of(stored));
        Event repeat = after.observe(new Step(5, "a", "FetchFailed", "x").draft(), T0.plusSeconds(5));
        assertThat(repeat.name()).isEqualTo(stored.name());
        assertThat(repeat.count()).isEqualTo(3);
        assertThat(repeat.firstTimestamp()).isEqualTo(T0);
    }

    @Test
    void longMessagesAreTrimmed() {
        Event e = new EventCorrelator(SMALL).observe(new Step(0, "a", "R", "x".repeat(5000)).draft(), T0);
        assertThat(e.message()).hasSize(EventCorrelator.MAX_MESSAGE_LENGTH).endsWith("...");
    }
}

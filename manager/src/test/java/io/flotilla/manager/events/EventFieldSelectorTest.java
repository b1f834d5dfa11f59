package io.flotilla.manager.events;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFieldSelectorTest {
    private static final Event EVENT = new Event("fleet-default", "apps.1", Event.EventType.WARNING, "FetchFailed", "m",
            new Event.InvolvedObject("GitRepo", "fleet-default", "apps"), 1, Instant.EPOCH, Instant.EPOCH);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''|true",
            "involvedObject.kind=GitRepo|true",
            "involvedObject.kind=GitRepo,involvedObject.name=apps|true",
            "involvedObject.kind==GitRepo, involvedObject.name=other|false",
            "involvedObject.kind!=Bundle|true",
            "type=Warning,reason=FetchFailed|true",
            "type=Normal|false",
            "involvedObject.namespace=fleet-default|true"})
    void selectsByInvolvedObjectTypeAndReason(String selector, boolean matches) {
        assertThat(EventFieldSelector.parse(selector).matches(EVENT)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "spec.foo=bar|field \"spec.foo\" is not supported",
            "involvedObject.kind|is not a field selector term"})
    void refusesWhatItCannotSelectOn(String selector, String message) {
        assertThatThrownBy(() -> EventFieldSelector.parse(selector)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}

package io.flotilla.agent.state;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretRefTest {

    @ParameterizedTest
    @CsvSource({
            "flotilla-system/flotilla-agent-state, flotilla-system, flotilla-agent-state",
            "a/b.c, a, b.c",
    })
    void parsesNamespaceAndName(String text, String namespace, String name) {
        assertThat(SecretAgentStateStore.parse(text)).isEqualTo(new SecretAgentStateStore.SecretRef(namespace, name));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "flotilla-agent-state           | must be NAMESPACE/NAME",
            "a/b/c                          | must be NAMESPACE/NAME",
            "/state                         | \"\" is not a valid namespace name",
            "Flotilla/state                 | \"Flotilla\" is not a valid namespace name",
            "flotilla-system/               | \"\" is not a valid Secret name",
            "flotilla-system/State_1        | \"State_1\" is not a valid Secret name",
    })
    void refusesWhatIsNotANamespaceAndAName(String text, String message) {
        assertThatThrownBy(() -> SecretAgentStateStore.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--state-secret").hasMessageContaining(message);
    }
}

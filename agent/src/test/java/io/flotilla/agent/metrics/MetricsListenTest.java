package io.flotilla.agent.metrics;

import io.flotilla.agent.Agent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --metrics-listen} parsing and the API error reasons the agent counts. */
class MetricsListenTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1:9100|127.0.0.1|9100",
            "0.0.0.0:0|0.0.0.0|0",
            "[::1]:9100|::1|9100",
            "agent.local:80|agent.local|80"})
    void hostAndPort(String value, String host, int port) {
        var parsed = Agent.hostPort(value);
        assertThat(parsed.getKey()).isEqualTo(host);
        assertThat(parsed.getValue()).isEqualTo(port);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "9100|is not HOST:PORT",
            ":9100|is not HOST:PORT",
            "localhost:http|the port must be a number",
            "localhost:70000|the port must be a number"})
    void refusedWithTheReason(String value, String message) {
        assertThatThrownBy(() -> Agent.hostPort(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--metrics-listen").hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"0,Unreachable", "403,Forbidden", "404,NotFound", "409,Conflict", "422,Invalid", "429,TooManyRequests",
            "502,ServerError", "418,Other"})
    void apiErrorReasons(int code, String reason) {
        assertThat(AgentMetrics.reason(code)).isEqualTo(reason);
    }
}

package io.flotilla.agent.metrics;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What the agent counts. Off by default ({@link #NONE}: no Micrometer class is even loaded, the agent's footprint is
 * budgeted); {@code --metrics-listen} switches to {@link PrometheusAgentMetrics}. Hot paths call counters and timers
 * only; BDs by state are taken once per scrape.
 */
public interface AgentMetrics {

    /** @param result {@code success}, {@code failure} (the API refused objects) or {@code render_error} */
    void applied(String result, long nanos);

    /** An API request the downstream cluster refused or could not answer, by reason ({@code Forbidden}, {@code Invalid}, ...). */
    void apiError(String reason);

    void driftCorrected();

    void streamReconnect();

    /** Where the BDs-by-state gauge reads from (called at scrape time, on the worker's context). */
    void bdStates(Supplier<Map<String, Integer>> states);

    /** The reason label of an HTTP status code from the Kubernetes API (0: no answer). */
    static String reason(int code) {
        return switch (code) {
            case 0 -> "Unreachable";
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 415 -> "UnsupportedMediaType";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalError";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> code >= 500 ? "ServerError" : "Other";
        };
    }

    AgentMetrics NONE = new AgentMetrics() {
        @Override
        public void applied(String result, long nanos) {
        }

        @Override
        public void apiError(String reason) {
        }

        @Override
        public void driftCorrected() {
        }

        @Override
        public void streamReconnect() {
        }

        @Override
        public void bdStates(Supplier<Map<String, Integer>> states) {
        }
    };
}

package io.flotilla.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the manager asked of the API server, from audit events: counts per verb and resource, server-side time. */
final class ApiRequests {
    private ApiRequests() {
    }

    static String describe(List<JsonNode> events) {
        Map<String, Integer> counts = new TreeMap<>();
        double[] micros = new double[events.size()];
        int n = 0;
        for (JsonNode e : events) {
            String what = e.path("verb").asText() + " " + e.path("objectRef").path("resource").asText()
                    + (e.path("objectRef").path("subresource").isMissingNode() ? "" : "/" + e.path("objectRef").path("subresource").asText());
            counts.merge(what, 1, Integer::sum);
            if (e.hasNonNull("requestReceivedTimestamp") && e.hasNonNull("stageTimestamp")) {
                micros[n++] = Duration.between(Instant.parse(e.path("requestReceivedTimestamp").asText()),
                        Instant.parse(e.path("stageTimestamp").asText())).toNanos() / 1000.0;
            }
        }
        double[] sorted = java.util.Arrays.stream(micros, 0, n).sorted().toArray();
        return counts + String.format("; in the API server p50 %.1f ms, p99 %.1f ms", Report.percentile(sorted, 50) / 1000,
                Report.percentile(sorted, 99) / 1000);
    }
}

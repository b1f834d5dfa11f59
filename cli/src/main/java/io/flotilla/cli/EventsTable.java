package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code flotilla events} table (pure): LAST SEEN, TYPE, REASON, OBJECT, COUNT, MESSAGE, in the given order. */
final class EventsTable {
    private EventsTable() {
    }

    static String render(List<JsonNode> events, boolean withNamespace, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        if (withNamespace) {
            header.add("NAMESPACE");
        }
        header.addAll(List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "MESSAGE"));
        rows.add(header);
        for (JsonNode e : events) {
            List<String> row = new ArrayList<>();
            if (withNamespace) {
                row.add(e.path("metadata").path("namespace").asText());
            }
            JsonNode io = e.path("involvedObject");
            String last = e.path("lastTimestamp").asText("");
            Instant when;
            try {
                when = last.isEmpty() ? null : Instant.parse(last);
            } catch (RuntimeException bad) {
                when = null;
            }
            row.addAll(List.of(DescribeView.age(when, now), e.path("type").asText(), e.path("reason").asText(),
                    io.path("kind").asText().toLowerCase() + "/" + io.path("name").asText(), e.path("count").asText("1"),
                    DescribeView.oneLine(e.path("message").asText())));
            rows.add(row);
        }
        return Tables.render(rows);
    }
}

package io.flotilla.manager.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One entry of {@code summary.nonReadyResources} (Fleet's NonReadyResource). */
public record SummaryItem(String name, BundleState state, String message, List<Modified> modified,
                          List<NonReady> nonReady) {
    public SummaryItem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        message = Objects.requireNonNullElse(message, "");
        modified = List.copyOf(Objects.requireNonNullElse(modified, List.of()));
        nonReady = List.copyOf(Objects.requireNonNullElse(nonReady, List.of()));
    }

    /** The item a BD contributes under the given name and state. */
    static SummaryItem of(String name, BdState state, BdReport report) {
        return report == null
                ? new SummaryItem(name, state.state(), state.message(), List.of(), List.of())
                : new SummaryItem(name, state.state(), state.message(), report.modified(), report.nonReady());
    }

    /** A target that has no BD yet. */
    static SummaryItem pending(String name) {
        return new SummaryItem(name, BundleState.PENDING, "", List.of(), List.of());
    }

    /** Fleet's JSON form; the state key is {@code bundleState}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        NonReady.putIfNotEmpty(m, "name", name);
        m.put("bundleState", state.wireName());
        NonReady.putIfNotEmpty(m, "message", message);
        if (!modified.isEmpty()) {
            m.put("modifiedStatus", modified.stream().map(Modified::toMap).toList());
        }
        if (!nonReady.isEmpty()) {
            m.put("nonReadyStatus", nonReady.stream().map(NonReady::toMap).toList());
        }
        return m;
    }
}

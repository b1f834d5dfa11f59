package io.flotilla.manager.status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Fleet's BundleSummary: a counter per state, {@code desiredReady}, and the first non-ready items (§6.2). */
public record Summary(Map<BundleState, Integer> counts, int desiredReady, List<SummaryItem> nonReadyResources) {
    /** IncrementState keeps at most this many non-ready items. */
    public static final int MAX_NON_READY = 10;
    /** §6.4: at most this many modified and non-ready details per state in the Ready message. */
    private static final int MAX_DETAILS = 4;
    /** Order of the counters in Fleet's JSON. */
    private static final List<BundleState> JSON_ORDER = List.of(BundleState.NOT_READY, BundleState.WAIT_APPLIED,
            BundleState.ERR_APPLIED, BundleState.OUT_OF_SYNC, BundleState.MODIFIED, BundleState.PENDING);
    /** The states §6.4 reports in the Ready message. */
    private static final List<BundleState> MESSAGE_STATES = List.of(BundleState.OUT_OF_SYNC, BundleState.NOT_READY,
            BundleState.WAIT_APPLIED, BundleState.ERR_APPLIED, BundleState.PENDING, BundleState.MODIFIED);

    public Summary {
        EnumMap<BundleState, Integer> copy = new EnumMap<>(BundleState.class);
        for (BundleState s : BundleState.values()) {
            copy.put(s, Objects.requireNonNullElse(counts.get(s), 0));
        }
        counts = Collections.unmodifiableMap(copy);
        nonReadyResources = List.copyOf(nonReadyResources);
    }

    public int count(BundleState state) {
        return counts.get(state);
    }

    public int ready() {
        return count(BundleState.READY);
    }

    /** {@code "<ready>/<desiredReady>"}, Fleet's display fraction. */
    public String readyFraction() {
        return ready() + "/" + desiredReady;
    }

    /** GetSummaryState: the worst state among the listed non-ready items, null (Fleet's "") if none. */
    public BundleState summaryState() {
        BundleState worst = null;
        for (SummaryItem item : nonReadyResources) {
            worst = BundleState.worse(worst, item.state());
        }
        return worst;
    }

    /**
     * §6.4: the Ready condition message, empty when ready. {@code kind} is "Cluster" for Bundles and "Bundle" for
     * GitRepos, Clusters and ClusterGroups.
     */
    public String readyMessage(String kind) {
        List<String> messages = new ArrayList<>();
        for (BundleState state : MESSAGE_STATES) {
            int count = count(state);
            if (count <= 0) {
                continue;
            }
            nonReadyResources.stream().filter(i -> i.state() == state).findFirst().ifPresent(item -> {
                String head = state.wireName() + "(" + count + ") [" + kind + " " + item.name();
                messages.add(item.message().isEmpty() ? head + "]" : head + ": " + item.message() + "]");
                item.modified().stream().limit(MAX_DETAILS).map(Modified::describe).forEach(messages::add);
                item.nonReady().stream().limit(MAX_DETAILS).map(NonReady::describe).forEach(messages::add);
            });
        }
        // Go's sort.Strings compares UTF-8 bytes
        messages.sort(Summary::compareUtf8);
        return String.join("; ", messages);
    }

    /** Fleet's JSON form: state counters omitted when zero, {@code ready}/{@code desiredReady} always present. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (BundleState s : JSON_ORDER) {
            if (count(s) != 0) {
                m.put(s.summaryField(), count(s));
            }
        }
        m.put("ready", ready());
        m.put("desiredReady", desiredReady);
        if (!nonReadyResources.isEmpty()) {
            m.put("nonReadyResources", nonReadyResources.stream().map(SummaryItem::toMap).toList());
        }
        return m;
    }

    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}

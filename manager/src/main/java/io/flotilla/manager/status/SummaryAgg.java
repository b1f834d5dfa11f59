package io.flotilla.manager.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An incrementally maintained BundleSummary: counters per state, plus the non-ready items per state in key order,
 * so the first ten non-ready items and the first item of a state are found without a scan.
 */
final class SummaryAgg<K extends Comparable<K>> {
    private final EnumMap<BundleState, Integer> counts = new EnumMap<>(BundleState.class);
    private final EnumMap<BundleState, TreeMap<K, SummaryItem>> nonReady = new EnumMap<>(BundleState.class);
    private int desiredReady;

    void add(K key, SummaryItem item) {
        counts.merge(item.state(), 1, Integer::sum);
        desiredReady++;
        if (item.state() != BundleState.READY && !item.name().isEmpty()) {
            nonReady.computeIfAbsent(item.state(), s -> new TreeMap<>()).put(key, item);
        }
    }

    void remove(K key, SummaryItem item) {
        counts.merge(item.state(), -1, Integer::sum);
        desiredReady--;
        TreeMap<K, SummaryItem> items = nonReady.get(item.state());
        if (items != null) {
            items.remove(key);
            if (items.isEmpty()) {
                nonReady.remove(item.state());
            }
        }
    }

    int desiredReady() {
        return desiredReady;
    }

    int count(BundleState state) {
        return counts.getOrDefault(state, 0);
    }

    boolean hasNonReadyItems() {
        return !nonReady.isEmpty();
    }

    /** The worst state any counted item has; null if there are none. */
    BundleState worstState() {
        BundleState worst = null;
        for (Map.Entry<BundleState, Integer> e : counts.entrySet()) {
            if (e.getValue() > 0) {
                worst = BundleState.worse(worst, e.getKey());
            }
        }
        return worst;
    }

    /** The message of the first item (in key order) in this state, "" if none is listed. */
    String firstMessage(BundleState state) {
        TreeMap<K, SummaryItem> items = state == null ? null : nonReady.get(state);
        return items == null ? "" : items.firstEntry().getValue().message();
    }

    Summary summary() {
        List<Map.Entry<K, SummaryItem>> first = new ArrayList<>();
        for (TreeMap<K, SummaryItem> items : nonReady.values()) {
            items.entrySet().stream().limit(Summary.MAX_NON_READY).forEach(first::add);
        }
        first.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        List<SummaryItem> listed = first.stream().limit(Summary.MAX_NON_READY).map(Map.Entry::getValue).toList();
        return new Summary(counts, desiredReady, listed);
    }
}

package io.flotilla.manager.status;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** GitRepo {@code status.resources} (fleet-semantics §6.10). */
final class GitRepoResources {
    /** Per-cluster lists stop growing once this much cluster-id text was added over all resources. */
    static final int PER_CLUSTER_TEXT_LIMIT = 1 << 20;
    private static final List<String> LIST_ORDER = List.of("ready", "waitApplied", "pending", "modified", "orphaned",
            "missing", "unknown", "notReady");

    /**
     * The aggregated contributions to one resource: per-BD states in cluster-id order, and the first of them that is
     * not {@code Ready} (null if none), which becomes the resource's state.
     */
    record Row(ResourceRef ref, boolean incomplete, SortedMap<ResourceEntryKey, String> states, String firstNotReady) {
    }

    private GitRepoResources() {
    }

    /**
     * The state each resource of one BD has in the GitRepo's view: the BD's default state, overridden by its
     * non-ready entries (agent state) and modified entries (Modified, Orphaned, Missing).
     */
    static Map<ResourceRef, String> statesOf(BdSnapshot bd, BundleState bdState) {
        Map<ResourceRef, String> states = new LinkedHashMap<>();
        BdReport r = bd.report();
        if (r == null) {
            return states;
        }
        String fallback = bdState == BundleState.NOT_READY || bdState == BundleState.MODIFIED
                ? (r.incompleteState() ? "Unknown" : "Ready")
                : bdState.wireName();
        r.resources().forEach(ref -> states.put(ref, fallback));
        r.nonReady().forEach(n -> states.put(n.resource(), n.state()));
        r.modified().forEach(m -> states.put(m.resource(), m.resourceState()));
        return states;
    }

    /** A rendered row and the cluster-id text it added to the per-cluster lists. */
    record Rendered(Map<String, Object> map, int textAdded) {
    }

    /** Rows must come in {@link ResourceRef#BY_TYPE_AND_ID} order. */
    static List<Map<String, Object>> toList(Iterable<Row> rows) {
        List<Map<String, Object>> result = new ArrayList<>();
        int textAdded = 0;
        for (Row row : rows) {
            Rendered rendered = render(row, textAdded);
            textAdded += rendered.textAdded();
            result.add(rendered.map());
        }
        return result;
    }

    /**
     * One {@code status.resources} entry (unmodifiable). Cluster ids are listed while less than the text budget has
     * been used, counting {@code textUsedBefore} from earlier rows.
     */
    static Rendered render(Row row, int textUsedBefore) {
        int textUsed = textUsedBefore;
        Map<String, List<String>> perCluster = new LinkedHashMap<>();
        for (Map.Entry<ResourceEntryKey, String> e : row.states().entrySet()) {
            if (textUsed >= PER_CLUSTER_TEXT_LIMIT) {
                break;
            }
            String list = listOf(e.getValue());
            if (list != null) {
                String clusterId = e.getKey().clusterId();
                perCluster.computeIfAbsent(list, k -> new ArrayList<>()).add(clusterId);
                textUsed += clusterId.length();
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        ResourceRef ref = row.ref();
        m.put("apiVersion", ref.apiVersion());
        m.put("kind", ref.kind());
        m.put("type", ref.type());
        m.put("id", ref.id());
        NonReady.putIfNotEmpty(m, "namespace", ref.namespace());
        m.put("name", ref.name());
        if (row.incomplete()) {
            m.put("incompleteState", true);
        }
        m.put("state", row.firstNotReady() == null ? "Ready" : row.firstNotReady());
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String list : LIST_ORDER) {
            List<String> ids = perCluster.get(list);
            if (ids != null) {
                ordered.put(list, List.copyOf(ids));
            }
        }
        m.put("perClusterState", Collections.unmodifiableMap(ordered));
        return new Rendered(Collections.unmodifiableMap(m), textUsed - textUsedBefore);
    }

    /** Whether a per-cluster state is listed in {@code perClusterState} at all. */
    static boolean listed(String clusterState) {
        return listOf(clusterState) != null;
    }

    private static String listOf(String clusterState) {
        return switch (clusterState) {
            case "Ready" -> "ready";
            case "WaitApplied" -> "waitApplied";
            case "Pending" -> "pending";
            case "Modified" -> "modified";
            case "Orphaned" -> "orphaned";
            case "Missing" -> "missing";
            case "Unknown" -> "unknown";
            case "NotReady", "updating", "error" -> "notReady";
            default -> null;
        };
    }
}

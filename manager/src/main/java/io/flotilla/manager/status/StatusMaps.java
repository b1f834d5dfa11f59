package io.flotilla.manager.status;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Renders aggregated figures as status maps with Fleet's JSON field names. Shared by the incremental index and the
 * full recompute so both are compared on the same output.
 */
final class StatusMaps {
    static final String OFFLINE = "Offline";

    private StatusMaps() {
    }

    record GitRepoView(Summary summary, BundleState worstState, String worstMessage, int desiredReadyClusters,
                       int readyClusters, int offlineClusters, boolean updating, String bundleError,
                       ResourceCounts resourceCounts, SortedMap<String, ResourceCounts> perClusterResourceCounts,
                       List<Map<String, Object>> resources) {
    }

    /** @param rollout rollout figures (Fleet's field names) or null */
    record BundleView(Summary summary, int unavailable, int offlineClusters, String error, Map<String, Object> rollout) {
    }

    /** @param online null while the cluster never connected */
    record ClusterView(Summary summary, ResourceCounts resourceCounts, int readyGitRepos, int desiredReadyGitRepos,
                       Boolean online) {
    }

    record GroupView(Summary summary, ResourceCounts resourceCounts, int clusterCount, int nonReadyClusterCount,
                     List<String> nonReadyClusters, int offlineClusters) {
    }

    static Map<String, Object> gitRepo(GitRepoView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("readyClusters", v.readyClusters());
        m.put("desiredReadyClusters", v.desiredReadyClusters());
        m.put("summary", v.summary().toMap());
        Map<String, Object> display = new LinkedHashMap<>();
        display.put("readyBundleDeployments", v.summary().readyFraction());
        boolean worstIsReady = v.worstState() == null || v.worstState() == BundleState.READY;
        String state = v.updating() ? "GitUpdating" : worstIsReady ? "" : v.worstState().wireName();
        String message = worstIsReady ? "" : v.worstMessage();
        NonReady.putIfNotEmpty(display, "state", state);
        NonReady.putIfNotEmpty(display, "message", message);
        if (!message.isEmpty()) {
            display.put("error", true);
        }
        m.put("display", display);
        m.put("conditions", List.of(v.bundleError() != null
                ? condition("Ready", false, "Error", v.bundleError())
                : readyCondition(v.summary(), "Bundle")));
        if (!v.resources().isEmpty()) {
            // rows are unmodifiable already (and shared with the index's cache)
            m.put("resources", List.copyOf(v.resources()));
        }
        m.put("resourceCounts", v.resourceCounts().toMap());
        if (!v.perClusterResourceCounts().isEmpty()) {
            Map<String, Object> perCluster = new LinkedHashMap<>();
            // The records themselves (Jackson writes them with the same field names): a GitRepo spanning
            // thousands of clusters is rendered on every BD change, and a map per cluster dominated that cost.
            perCluster.putAll(v.perClusterResourceCounts());
            m.put("perClusterResourceCounts", perCluster);
        }
        putIfPositive(m, "offlineClusters", v.offlineClusters());
        Map<String, Object> frozen = new LinkedHashMap<>();
        m.forEach((k, value) -> frozen.put(k, "resources".equals(k) ? value : freeze(value)));
        return Collections.unmodifiableMap(frozen);
    }

    static Map<String, Object> bundle(BundleView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", v.summary().toMap());
        m.put("unavailable", v.unavailable());
        if (v.rollout() != null) {
            for (String field : List.of("maxUnavailable", "unavailablePartitions", "maxUnavailablePartitions",
                    "maxNew", "newlyCreated", "partitions")) {
                if (v.rollout().containsKey(field)) {
                    m.put(field, v.rollout().get(field));
                }
            }
        }
        Map<String, Object> display = new LinkedHashMap<>();
        display.put("readyClusters", v.summary().readyFraction());
        putState(display, v.summary().summaryState());
        m.put("display", display);
        m.put("conditions", List.of(v.error() != null
                ? condition("Ready", false, "Error", v.error())
                : readyCondition(v.summary(), "Cluster")));
        putIfPositive(m, "offlineClusters", v.offlineClusters());
        return freeze(m);
    }

    static Map<String, Object> cluster(ClusterView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", v.summary().toMap());
        m.put("resourceCounts", v.resourceCounts().toMap());
        m.put("readyGitRepos", v.readyGitRepos());
        m.put("desiredReadyGitRepos", v.desiredReadyGitRepos());
        m.put("readyHelmOps", 0);
        m.put("desiredReadyHelmOps", 0);
        Map<String, Object> display = new LinkedHashMap<>();
        display.put("readyBundles", v.summary().readyFraction());
        if (v.online() == null) {
            display.put("state", "WaitCheckIn");
        } else if (!v.online()) {
            display.put("state", OFFLINE);
        } else {
            putState(display, v.summary().summaryState());
        }
        m.put("display", display);
        List<Map<String, Object>> conditions = new ArrayList<>();
        conditions.add(readyCondition(v.summary(), "Bundle"));
        if (v.online() != null) {
            conditions.add(v.online()
                    ? condition(OFFLINE, false, "AgentConnected", "")
                    : condition(OFFLINE, true, "AgentDisconnected", "the agent's stream is gone"));
        }
        m.put("conditions", conditions);
        return freeze(m);
    }

    static Map<String, Object> group(GroupView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clusterCount", v.clusterCount());
        m.put("nonReadyClusterCount", v.nonReadyClusterCount());
        if (!v.nonReadyClusters().isEmpty()) {
            m.put("nonReadyClusters", v.nonReadyClusters());
        }
        m.put("summary", v.summary().toMap());
        m.put("resourceCounts", v.resourceCounts().toMap());
        Map<String, Object> display = new LinkedHashMap<>();
        String readyClusters = (v.clusterCount() - v.nonReadyClusterCount()) + "/" + v.clusterCount();
        if (!v.nonReadyClusters().isEmpty()) {
            readyClusters += " (" + String.join(",", v.nonReadyClusters()) + ")";
        }
        display.put("readyClusters", readyClusters);
        display.put("readyBundles", v.summary().readyFraction());
        putState(display, v.summary().summaryState());
        m.put("display", display);
        m.put("conditions", List.of(readyCondition(v.summary(), "Bundle")));
        putIfPositive(m, "offlineClusters", v.offlineClusters());
        return freeze(m);
    }

    /** §6.4: True with empty message and reason when nothing is reported, else False with the message. */
    static Map<String, Object> readyCondition(Summary summary, String kind) {
        String message = summary.readyMessage(kind);
        return condition("Ready", message.isEmpty(), "", message);
    }

    /** A condition without timestamps: the writer stamps lastUpdateTime/lastTransitionTime. */
    static Map<String, Object> condition(String type, boolean status, String reason, String message) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", status ? "True" : "False");
        NonReady.putIfNotEmpty(c, "reason", reason);
        NonReady.putIfNotEmpty(c, "message", message);
        return c;
    }

    private static void putState(Map<String, Object> display, BundleState state) {
        if (state != null) {
            display.put("state", state.wireName());
        }
    }

    private static void putIfPositive(Map<String, Object> m, String key, int value) {
        if (value > 0) {
            m.put(key, value);
        }
    }

    /**
     * Makes a freshly built status tree unmodifiable: mutable maps built here are frozen in place (nobody else
     * holds them), maps that are already unmodifiable are shared as they are.
     */
    @SuppressWarnings("unchecked")
    private static <T> T freeze(T value) {
        if (value instanceof LinkedHashMap<?, ?> || value instanceof java.util.TreeMap<?, ?>) {
            Map<String, Object> map = (Map<String, Object>) value;
            map.replaceAll((k, v) -> freeze(v));
            return (T) Collections.unmodifiableMap(map);
        }
        if (value instanceof Map<?, ?>) {
            return value;
        }
        if (value instanceof java.util.ArrayList<?> list) {
            ((List<Object>) list).replaceAll(StatusMaps::freeze);
            return (T) Collections.unmodifiableList(list);
        }
        if (value instanceof List<?> list) {
            // Already unmodifiable: copy only when an element still needs freezing (no streams: this is hot).
            for (Object element : list) {
                if (element instanceof LinkedHashMap<?, ?> || element instanceof java.util.TreeMap<?, ?>
                        || element instanceof java.util.ArrayList<?>) {
                    List<Object> copy = new java.util.ArrayList<>(list.size());
                    for (Object e : list) {
                        copy.add(freeze(e));
                    }
                    return (T) Collections.unmodifiableList(copy);
                }
            }
            return value;
        }
        return value;
    }
}

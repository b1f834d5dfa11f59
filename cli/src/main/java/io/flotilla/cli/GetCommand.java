package io.flotilla.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "get", mixinStandardHelpOptions = true, description = "List objects, or show one. With --watch, "
        + "then print a line for every object that changes, like kubectl get -w.")
final class GetCommand implements Callable<Integer> {
    enum Output { table, wide, yaml, json }

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "Kind: gitrepos, clusters, clustergroups, bundles, bundledeployments, tokens.")
    String kind;

    @Parameters(index = "1", arity = "0..1", description = "Name (omit to list).")
    String name;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, wide (more columns), yaml or json "
            + "(default: ${DEFAULT-VALUE}).")
    Output output;

    @Option(names = {"-A", "--all-namespaces"}, description = "List across all namespaces.")
    boolean allNamespaces;

    @Option(names = {"-l", "--selector"}, description = "Label selector, as kubectl's: 'env=dev,tier!=db', 'region in (eu,us)', "
            + "'!canary'.")
    String selector;

    @Option(names = {"-w", "--watch"}, description = "After the list, keep watching: one line per changed, added or deleted "
            + "object (the manager is asked every --watch-interval).")
    boolean watch;

    @Option(names = "--watch-interval", defaultValue = "1s", description = "How often --watch asks (default: ${DEFAULT-VALUE}).",
            converter = Durations.class)
    java.time.Duration watchInterval;

    /** Where the answer goes, fixed when the command starts (a watch keeps printing there). */
    private java.io.PrintStream out;

    @Override
    public Integer call() throws JsonProcessingException {
        out = System.out;
        Kind k;
        try {
            k = ApiClient.kind(kind);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        if (name != null && selector != null) {
            System.err.println("error: give a name or a selector (-l), not both");
            return 1;
        }
        ApiClient client;
        JsonNode answer;
        try {
            client = server.client();
            answer = fetch(client, k);
        } catch (ApiClient.ApiFailure e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        List<JsonNode> items = items(answer);
        switch (output) {
            case json -> out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            case yaml -> out.print(Json.YAML.writeValueAsString(answer));
            case table, wide -> out.print(table(k, items, output == Output.wide));
        }
        out.flush();
        return watch ? watch(client, k, items) : 0;
    }

    private JsonNode fetch(ApiClient client, Kind k) {
        if (name != null) {
            return client.send("GET", ApiClient.path(k, server.namespace, name), null);
        }
        String path = ApiClient.path(k, allNamespaces ? null : server.namespace, null);
        if (selector != null) {
            path += "?labelSelector=" + java.net.URLEncoder.encode(selector, java.nio.charset.StandardCharsets.UTF_8);
        }
        return client.send("GET", path, null);
    }

    private List<JsonNode> items(JsonNode answer) {
        List<JsonNode> items = new ArrayList<>();
        if (name != null) {
            items.add(answer);
        } else {
            answer.path("items").forEach(items::add);
        }
        return items;
    }

    /** Polls and prints what changed (by resourceVersion) until interrupted; a lost connection is retried. */
    private int watch(ApiClient client, Kind k, List<JsonNode> first) throws JsonProcessingException {
        Map<String, JsonNode> seen = byKey(first);
        String problem = null;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(watchInterval.toMillis());
            } catch (InterruptedException e) {
                return 0;
            }
            Map<String, JsonNode> fresh;
            try {
                fresh = byKey(items(fetch(client, k)));
                problem = null;
            } catch (ApiClient.ApiFailure e) {
                if (e.code == 404 && name != null) {
                    fresh = Map.of();
                } else {
                    if (!e.getMessage().equals(problem)) {
                        System.err.println("error: " + e.getMessage() + " (still watching)");
                    }
                    problem = e.getMessage();
                    continue;
                }
            }
            Map<String, JsonNode> now = fresh;
            List<JsonNode> changed = new ArrayList<>();
            now.forEach((key, o) -> {
                JsonNode before = seen.get(key);
                if (before == null || !Json.resourceVersion(before)
                        .equals(Json.resourceVersion(o))) {
                    changed.add(o);
                }
            });
            List<String> deleted = seen.keySet().stream().filter(key -> !now.containsKey(key)).toList();
            seen.clear();
            seen.putAll(now);
            print(k, changed, deleted);
        }
        return 0;
    }

    private void print(Kind k, List<JsonNode> changed, List<String> deleted) throws JsonProcessingException {
        for (JsonNode o : changed) {
            switch (output) {
                case json -> out.println(Json.MAPPER.writeValueAsString(o));
                case yaml -> out.print("---\n" + Json.YAML.writeValueAsString(o));
                case table, wide -> {
                    String table = table(k, List.of(o), output == Output.wide);
                    out.print(table.substring(table.indexOf('\n') + 1)); // the row without the header
                }
            }
        }
        for (String key : deleted) {
            out.println(key.replace('/', ' ') + " (deleted)");
        }
        out.flush();
    }

    private static Map<String, JsonNode> byKey(List<JsonNode> items) {
        Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
        items.forEach(o -> m.put(Json.namespace(o) + "/" + Json.name(o), o));
        return m;
    }

    static String table(Kind kind, List<JsonNode> items) {
        return table(kind, items, false);
    }

    static String table(Kind kind, List<JsonNode> items, boolean wide) {
        List<String> header = new ArrayList<>(List.of("NAMESPACE", "NAME"));
        header.addAll(switch (kind) {
            case GIT_REPO -> List.of("REPO", "COMMIT", "BUNDLEDEPLOYMENTS-READY", "STATUS");
            case CLUSTER -> List.of("LABELS", "STATE", "AGENT", "LAST-SEEN");
            case CLUSTER_GROUP -> List.of("CLUSTERS-READY", "BUNDLES-READY", "STATE");
            case BUNDLE -> List.of("BUNDLEDEPLOYMENTS-READY", "STATUS");
            case BUNDLE_DEPLOYMENT -> List.of("DEPLOYED", "MONITORED", "STATE", "STATUS");
            case CLUSTER_REGISTRATION_TOKEN -> List.of("EXPIRES");
            case GIT_REPO_RESTRICTION -> List.of("ALLOWED-REPO-PATTERNS", "ALLOWED-TARGET-NAMESPACES", "DEFAULT-SERVICE-ACCOUNT");
            case SECRET -> List.of("KEYS");
        });
        if (wide) {
            header.addAll(wideHeader(kind));
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (JsonNode o : items) {
            JsonNode st = o.path("status");
            List<String> row = new ArrayList<>(List.of(s(Json.namespace(o)), s(Json.name(o))));
            row.addAll(switch (kind) {
                case GIT_REPO -> List.of(s(Json.text(o.path("spec"), "repo")), shortCommit(Json.text(st, "commit")),
                        s(Json.text(st.path("display"), "readyBundleDeployments")), readyMessage(st));
                case CLUSTER -> List.of(Json.labels(o).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(",")),
                        s(Json.text(st.path("display"), "state")),
                        st.path("agent").path("connected").asBoolean() ? "connected" : "disconnected",
                        s(Json.text(st.path("agent"), "lastSeen")));
                case CLUSTER_GROUP -> List.of(s(Json.text(st.path("display"), "readyClusters")),
                        s(Json.text(st.path("display"), "readyBundles")), s(Json.text(st.path("display"), "state")));
                case BUNDLE -> List.of(s(Json.text(st.path("display"), "readyClusters")), readyMessage(st));
                case BUNDLE_DEPLOYMENT -> bdColumns(o);
                case CLUSTER_REGISTRATION_TOKEN -> List.of(s(Json.text(st, "expiresAt")));
                case GIT_REPO_RESTRICTION -> List.of(joined(o.path("allowedRepoPatterns")),
                        joined(o.path("allowedTargetNamespaces")), s(Json.text(o, "defaultServiceAccount")));
                case SECRET -> {
                    List<String> keys = new ArrayList<>();
                    o.path("data").fieldNames().forEachRemaining(keys::add);
                    yield List.of(String.join(",", keys));
                }
            });
            if (wide) {
                row.addAll(wideColumns(kind, o));
            }
            rows.add(row);
        }
        return Tables.render(rows);
    }

    private static List<String> wideHeader(Kind kind) {
        return switch (kind) {
            case GIT_REPO -> List.of("BRANCH", "PATHS", "CLUSTERS-READY", "AGE");
            case CLUSTER -> List.of("BUNDLES-READY", "AGE");
            case CLUSTER_GROUP, CLUSTER_REGISTRATION_TOKEN, GIT_REPO_RESTRICTION, SECRET -> List.of("AGE");
            case BUNDLE -> List.of("GITREPO", "NON-READY", "AGE");
            case BUNDLE_DEPLOYMENT -> List.of("CLUSTER", "BUNDLE", "GITREPO", "NON-READY", "MODIFIED", "AGE");
        };
    }

    private static List<String> wideColumns(Kind kind, JsonNode o) {
        JsonNode st = o.path("status");
        Map<String, String> labels = Json.labels(o);
        String age = age(Json.text(o.path("metadata"), "creationTimestamp"));
        return switch (kind) {
            case GIT_REPO -> List.of(s(Json.text(o.path("spec"), "branch")), joined(o.path("spec").path("paths")),
                    st.path("readyClusters").asInt() + "/" + st.path("desiredReadyClusters").asInt(), age);
            case CLUSTER -> List.of(s(Json.text(st.path("display"), "readyBundles")), age);
            case CLUSTER_GROUP, CLUSTER_REGISTRATION_TOKEN, GIT_REPO_RESTRICTION, SECRET -> List.of(age);
            case BUNDLE -> List.of(s(labels.get("flotilla.io/repo-name")),
                    String.valueOf(st.path("summary").path("nonReadyResources").size()), age);
            case BUNDLE_DEPLOYMENT -> List.of(s(labels.get("flotilla.io/cluster")), s(labels.get("flotilla.io/bundle-name")),
                    s(labels.get("flotilla.io/repo-name")), resources(st.path("nonReadyStatus")),
                    resources(st.path("modifiedStatus")), age);
        };
    }

    /** {@code Kind/name} of the first resources and how many more, for one table cell. */
    private static String resources(JsonNode list) {
        List<String> shown = new ArrayList<>();
        for (JsonNode r : list) {
            if (shown.size() == 2) {
                return String.join(",", shown) + ",+" + (list.size() - 2);
            }
            shown.add(Json.text(r, "kind") + "/" + Json.text(r, "name"));
        }
        return String.join(",", shown);
    }

    /** kubectl's AGE: 45s, 12m, 5h, 3d. */
    static String age(String timestamp) {
        if (timestamp == null) {
            return "";
        }
        long seconds;
        try {
            seconds = java.time.Duration.between(java.time.Instant.parse(timestamp), java.time.Instant.now()).getSeconds();
        } catch (java.time.format.DateTimeParseException e) {
            return "";
        }
        return seconds < 120 ? Math.max(seconds, 0) + "s" : seconds < 7200 ? seconds / 60 + "m"
                : seconds < 172800 ? seconds / 3600 + "h" : seconds / 86400 + "d";
    }

    /**
     * Fleet's printer columns (§1.3, §6.9): Deployed and Monitored from {@code status.display}, the state of §6.1,
     * and the Ready condition's message. BDs stored before display existed get it computed the same way.
     */
    private static List<String> bdColumns(JsonNode bd) {
        JsonNode display = bd.path("status").has("display") ? bd.path("status").path("display")
                : io.flotilla.manager.statusapi.BdDisplay.of(bd);
        return List.of(s(Json.text(display, "deployed")), s(Json.text(display, "monitored")),
                s(Json.text(display, "state")), readyMessage(bd.path("status")));
    }

    private static String readyMessage(JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            if ("Ready".equals(Json.text(c, "type"))) {
                String m = Json.text(c, "message");
                return m == null || m.isEmpty() ? Json.text(c, "status") : m;
            }
        }
        return "";
    }

    private static String joined(JsonNode list) {
        List<String> items = new ArrayList<>();
        list.forEach(i -> items.add(i.asText()));
        return String.join(",", items);
    }

    private static String shortCommit(String commit) {
        return commit == null ? "" : commit.substring(0, Math.min(12, commit.length()));
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }

}

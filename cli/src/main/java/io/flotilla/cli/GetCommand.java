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
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "get", mixinStandardHelpOptions = true, description = "List objects, or show one.")
final class GetCommand implements Callable<Integer> {
    enum Output { table, yaml, json }

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "Kind: gitrepos, clusters, clustergroups, bundles, bundledeployments, tokens.")
    String kind;

    @Parameters(index = "1", arity = "0..1", description = "Name (omit to list).")
    String name;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, yaml or json (default: ${DEFAULT-VALUE}).")
    Output output;

    @Option(names = {"-A", "--all-namespaces"}, description = "List across all namespaces.")
    boolean allNamespaces;

    @Override
    public Integer call() throws JsonProcessingException {
        Kind k;
        try {
            k = ApiClient.kind(kind);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        List<JsonNode> items = new ArrayList<>();
        JsonNode answer;
        try {
            ApiClient client = server.client();
            if (name != null) {
                answer = client.send("GET", ApiClient.path(k, server.namespace, name), null);
                items.add(answer);
            } else {
                answer = client.send("GET", ApiClient.path(k, allNamespaces ? null : server.namespace, null), null);
                answer.path("items").forEach(items::add);
            }
        } catch (ApiClient.ApiFailure e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        switch (output) {
            case json -> System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            case yaml -> System.out.print(Json.YAML.writeValueAsString(answer));
            case table -> System.out.print(table(k, items));
        }
        return 0;
    }

    static String table(Kind kind, List<JsonNode> items) {
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
            rows.add(row);
        }
        return Tables.render(rows);
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

package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = "List what happened (commits fetched, fetch failures, bundles built or refused, targeting errors, "
                + "BundleDeployments created or deleted, apply failures, clusters offline/online, drift corrected), "
                + "oldest first, like kubectl get events.")
final class EventsCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Option(names = {"-A", "--all-namespaces"}, description = "Events of every namespace.")
    boolean allNamespaces;

    @Option(names = "--for", paramLabel = "KIND/NAME", description = "Only events about this object, e.g. gitrepo/apps.")
    String forObject;

    @Option(names = {"-w", "--watch"}, description = "After the list, print new and repeated events as they happen (Ctrl-C ends).")
    boolean watch;

    @Override
    public Integer call() throws InterruptedException {
        String selector = null;
        if (forObject != null) {
            int slash = forObject.indexOf('/');
            if (slash <= 0 || slash == forObject.length() - 1) {
                System.err.println("error: --for wants KIND/NAME (e.g. gitrepo/apps), not \"" + forObject + "\"");
                return 2;
            }
            String kindName;
            try {
                kindName = ApiClient.kind(forObject.substring(0, slash)).kindName();
            } catch (IllegalArgumentException e) {
                System.err.println("error: --for: " + e.getMessage());
                return 2;
            }
            selector = "involvedObject.kind=" + kindName + ",involvedObject.name=" + forObject.substring(slash + 1);
        }
        String path = (allNamespaces ? "/api/v1/events" : "/api/v1/namespaces/" + server.namespace + "/events")
                + (selector == null ? "" : "?fieldSelector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
        Map<String, Integer> seen = new HashMap<>();
        try {
            ApiClient client = server.client();
            List<JsonNode> first = fetch(client, path);
            if (first.isEmpty() && !watch) {
                System.out.println("No events found" + (allNamespaces ? "." : " in namespace " + server.namespace + "."));
                return 0;
            }
            print(first, seen, true);
            while (watch) {
                Thread.sleep(1000);
                print(fetch(client, path), seen, false);
            }
            return 0;
        } catch (ApiClient.ApiFailure e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static List<JsonNode> fetch(ApiClient client, String path) {
        List<JsonNode> items = new ArrayList<>();
        client.send("GET", path, null).path("items").forEach(items::add);
        return items;
    }

    /** Prints events not printed before (or seen again since); the header only with the first list. */
    private void print(List<JsonNode> events, Map<String, Integer> seen, boolean header) {
        List<JsonNode> fresh = new ArrayList<>();
        for (JsonNode e : events) {
            String key = e.path("metadata").path("namespace").asText() + "/" + e.path("metadata").path("name").asText();
            int count = e.path("count").asInt(1);
            Integer before = seen.put(key, count);
            if (before == null || before != count) {
                fresh.add(e);
            }
        }
        String table = EventsTable.render(fresh, allNamespaces, Instant.now());
        if (!header) {
            table = table.substring(table.indexOf('\n') + 1);
        }
        if (!fresh.isEmpty() || header) {
            System.out.print(table);
            System.out.flush();
        }
    }
}

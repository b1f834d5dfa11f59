package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show an object in detail: its state and conditions, its children as a tree (GitRepo → Bundles → "
                + "per-cluster BundleDeployments with their state and message) and its recent events.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "Kind: gitrepo, bundle, cluster, bundledeployment, clustergroup.")
    String kind;

    @Parameters(index = "1", description = "Name.")
    String name;

    @Override
    public Integer call() {
        Kind k;
        try {
            k = ApiClient.kind(kind);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        if (k == Kind.SECRET) {
            System.err.println("error: secrets are not described (their values are never shown)");
            return 1;
        }
        String ns = server.namespace;
        try {
            ApiClient client = server.client();
            Optional<com.fasterxml.jackson.databind.node.ObjectNode> found = client.get(ApiClient.path(k, ns, name));
            if (found.isEmpty()) {
                System.err.println("error: " + k.kindName() + " \"" + name + "\" not found in namespace " + ns);
                return 1;
            }
            JsonNode object = found.get();
            List<JsonNode> bundles = new ArrayList<>();
            List<JsonNode> bds = new ArrayList<>();
            Set<String> involved = new HashSet<>();
            involved.add(k.kindName() + "/" + name);
            switch (k) {
                case GIT_REPO -> {
                    list(client, ApiClient.path(Kind.BUNDLE, ns, null), "flotilla.io/repo-name=" + name).forEach(bundles::add);
                    List<String> names = bundles.stream().map(b -> b.path("metadata").path("name").asText()).toList();
                    names.forEach(b -> involved.add("Bundle/" + b));
                    if (!names.isEmpty()) {
                        list(client, ApiClient.path(Kind.BUNDLE_DEPLOYMENT, null, null), "flotilla.io/bundle-namespace=" + ns
                                + "," + DescribeView.BUNDLE_NAME_LABEL + " in (" + String.join(",", names) + ")").forEach(bds::add);
                    }
                }
                case BUNDLE -> list(client, ApiClient.path(Kind.BUNDLE_DEPLOYMENT, null, null), "flotilla.io/bundle-namespace="
                        + ns + "," + DescribeView.BUNDLE_NAME_LABEL + "=" + name).forEach(bds::add);
                case CLUSTER -> list(client, ApiClient.path(Kind.BUNDLE_DEPLOYMENT, null, null),
                        "flotilla.io/cluster-namespace=" + ns + "," + DescribeView.CLUSTER_LABEL + "=" + name).forEach(bds::add);
                default -> { }
            }
            List<JsonNode> events = new ArrayList<>();
            client.send("GET", "/api/v1/namespaces/" + ns + "/events", null).path("items").forEach(e -> {
                JsonNode io = e.path("involvedObject");
                if (involved.contains(io.path("kind").asText() + "/" + io.path("name").asText())) {
                    events.add(e);
                }
            });
            System.out.print(DescribeView.render(object, bundles, bds, events, Instant.now()));
            return 0;
        } catch (ApiClient.ApiFailure e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static List<JsonNode> list(ApiClient client, String path, String labelSelector) {
        List<JsonNode> items = new ArrayList<>();
        client.send("GET", path + "?labelSelector=" + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8), null)
                .path("items").forEach(items::add);
        return items;
    }
}

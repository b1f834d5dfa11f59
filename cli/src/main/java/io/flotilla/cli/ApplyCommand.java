package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Create or update the objects of a (multi-document) YAML or JSON file, like kubectl apply. With "
                + "--wait, then wait until every GitRepo applied is Ready (exit code 0), printing progress; on timeout "
                + "the non-ready resources are listed and the exit code is 1.")
final class ApplyCommand implements Callable<Integer> {
    /** Ready must hold this long: targeting settles the BDs of a new commit a moment after the commit is recorded. */
    static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(1);

    @Mixin
    ServerOptions server;

    @Option(names = {"-f", "--filename"}, required = true, description = "File with one or more objects ('-' for stdin).")
    String file;

    @Option(names = "--wait", description = "Wait until every applied GitRepo is Ready.")
    boolean waitReady;

    @Option(names = "--timeout", defaultValue = "5m", converter = Durations.class,
            description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    java.time.Duration timeout;

    private record Applied(String namespace, String name, long generation) {
    }

    @Override
    public Integer call() throws IOException {
        String text = file.equals("-") ? new String(System.in.readAllBytes()) : Files.readString(Path.of(file));
        try {
            text = io.flotilla.bundle.yaml.YamlAliases.resolve(text);
        } catch (io.flotilla.bundle.yaml.YamlAliases.AliasException e) {
            System.err.println(file + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
            return 1;
        }
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = Json.YAML.readerFor(JsonNode.class).readValues(text)) {
            int index = 0;
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                index++;
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                if (!(doc instanceof ObjectNode o)) {
                    System.err.println(file + ": document " + index + " is not an object");
                    return 1;
                }
                objects.add(o);
            }
        } catch (IOException e) {
            System.err.println(file + ": not valid YAML: " + e.getMessage());
            return 1;
        }
        ApiClient client;
        try {
            client = server.client();
        } catch (ApiClient.ApiFailure e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        List<Applied> gitRepos = new ArrayList<>();
        int failures = 0;
        for (ObjectNode o : objects) {
            String kindName = Json.text(o, "kind");
            String name = Json.name(o);
            String ns = Json.namespace(o) == null ? server.namespace : Json.namespace(o);
            try {
                Kind kind = ApiClient.kind(kindName == null ? "" : kindName);
                var existing = client.get(ApiClient.path(kind, ns, name));
                ObjectNode written;
                if (existing.isPresent()) {
                    Json.metadata(o).put("resourceVersion", Json.resourceVersion(existing.get()));
                    written = client.send("PUT", ApiClient.path(kind, ns, name), o);
                    System.out.println(kind.plural() + "/" + name + " configured");
                } else {
                    written = client.send("POST", ApiClient.path(kind, ns, null), o);
                    System.out.println(kind.plural() + "/" + name + " created");
                    String token = Json.text(written.path("status"), "token");
                    if (token != null) {
                        System.out.println("token: " + token);
                    }
                }
                if (kind == Kind.GIT_REPO) {
                    gitRepos.add(new Applied(ns, name, written.path("metadata").path("generation").asLong()));
                }
            } catch (IllegalArgumentException | ApiClient.ApiFailure e) {
                System.err.println("error: " + (kindName == null ? "object" : kindName) + " \"" + name + "\": " + e.getMessage());
                failures++;
            }
        }
        if (failures > 0) {
            return 1;
        }
        if (waitReady) {
            System.out.flush();
            return waitUntilReady(client, gitRepos);
        }
        return 0;
    }

    /** Polls the applied GitRepos; a progress line whenever one's counts change. */
    private int waitUntilReady(ApiClient client, List<Applied> gitRepos) {
        if (gitRepos.isEmpty()) {
            System.err.println("--wait: no GitRepo in " + file + ", nothing to wait for");
            return 0;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.Map<Applied, GitRepoReadiness> last = new java.util.HashMap<>();
        java.util.Map<Applied, Long> readySince = new java.util.HashMap<>();
        java.util.Set<Applied> done = new java.util.HashSet<>();
        String problem = null;
        while (true) {
            long now = System.nanoTime();
            for (Applied a : gitRepos) {
                if (done.contains(a)) {
                    continue;
                }
                GitRepoReadiness r;
                try {
                    r = client.get(ApiClient.path(Kind.GIT_REPO, a.namespace(), a.name()))
                            .map(o -> GitRepoReadiness.of(o, a.generation()))
                            .orElseGet(() -> new GitRepoReadiness(false, "deleted", List.of("the GitRepo was deleted")));
                    problem = null;
                } catch (ApiClient.ApiFailure e) {
                    if (!e.getMessage().equals(problem)) {
                        System.err.println("warning: " + e.getMessage() + " (still waiting)");
                    }
                    problem = e.getMessage();
                    continue;
                }
                GitRepoReadiness before = last.put(a, r);
                if (before == null || !before.progress().equals(r.progress()) || before.ready() != r.ready()) {
                    System.out.println("gitrepos/" + a.name() + ": " + r.progress() + (r.ready() ? ", Ready" : ""));
                    System.out.flush();
                    readySince.remove(a);
                }
                if (r.ready()) {
                    readySince.putIfAbsent(a, now);
                    if (now - readySince.get(a) >= SETTLE.toNanos()) {
                        done.add(a);
                    }
                } else {
                    readySince.remove(a);
                }
            }
            if (done.size() == gitRepos.size()) {
                System.out.println(gitRepos.size() == 1 ? "gitrepos/" + gitRepos.get(0).name() + " is Ready"
                        : "all " + gitRepos.size() + " GitRepos are Ready");
                return 0;
            }
            if (now >= deadline) {
                System.err.println("error: timed out after " + timeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                        + " waiting for Ready:");
                for (Applied a : gitRepos) {
                    if (!done.contains(a)) {
                        GitRepoReadiness r = last.get(a);
                        System.err.println("  gitrepos/" + a.name() + ": " + (r == null ? "not seen" : r.progress()));
                        if (r != null) {
                            r.reasons().forEach(reason -> System.err.println("    " + reason));
                        }
                    }
                }
                return 1;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(250, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }
}

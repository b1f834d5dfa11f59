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
        description = "Create or update the objects of a (multi-document) YAML or JSON file, like kubectl apply.")
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Option(names = {"-f", "--filename"}, required = true, description = "File with one or more objects ('-' for stdin).")
    String file;

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
        ApiClient client = server.client();
        int failures = 0;
        for (ObjectNode o : objects) {
            String kindName = Json.text(o, "kind");
            String name = Json.name(o);
            String ns = Json.namespace(o) == null ? server.namespace : Json.namespace(o);
            try {
                Kind kind = ApiClient.kind(kindName == null ? "" : kindName);
                var existing = client.get(ApiClient.path(kind, ns, name));
                if (existing.isPresent()) {
                    Json.metadata(o).put("resourceVersion", Json.resourceVersion(existing.get()));
                    client.send("PUT", ApiClient.path(kind, ns, name), o);
                    System.out.println(kind.plural() + "/" + name + " configured");
                } else {
                    ObjectNode created = client.send("POST", ApiClient.path(kind, ns, null), o);
                    System.out.println(kind.plural() + "/" + name + " created");
                    String token = Json.text(created.path("status"), "token");
                    if (token != null) {
                        System.out.println("token: " + token);
                    }
                }
            } catch (IllegalArgumentException | ApiClient.ApiFailure e) {
                System.err.println("error: " + (kindName == null ? "object" : kindName) + " \"" + name + "\": " + e.getMessage());
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}

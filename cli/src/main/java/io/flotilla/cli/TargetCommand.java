package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.reader.BundleReadException;
import io.flotilla.bundle.reader.BundleScanner;
import io.flotilla.bundle.reader.ScanRequest;
import io.flotilla.bundle.reader.ScannedBundle;
import io.flotilla.bundle.yaml.YamlAliases;
import io.flotilla.manager.api.ApiError;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.Validation;
import io.flotilla.manager.deploy.TargetingInputs;
import io.flotilla.manager.gitops.BundleFactory;
import io.flotilla.manager.targeting.BundleTargetsBuilder.GitRepoSettings;
import io.flotilla.manager.targeting.ClusterGroupInfo;
import io.flotilla.manager.targeting.ClusterInfo;
import io.flotilla.manager.targeting.ClusterKey;
import io.flotilla.manager.targeting.DesiredDeployment;
import io.flotilla.manager.targeting.Exclusion;
import io.flotilla.manager.targeting.TargetingEngine;
import io.flotilla.manager.targeting.TargetingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "target", mixinStandardHelpOptions = true,
        description = "Show which clusters get which BundleDeployment: per cluster, the matched target and customizations "
                + "(or what excluded it), the merged options and the deploymentID. Works offline on files.")
final class TargetCommand implements Callable<Integer> {
    enum Output { table, yaml, json }

    @Option(names = "--bundle", required = true,
            description = "A bundle directory (read like a GitRepo path, nested fleet.yaml included) or a Bundle object YAML file.")
    Path bundle;

    @Option(names = "--gitrepo", description = "GitRepo YAML whose targets apply (default: none, i.e. the default target).")
    Path gitRepo;

    @Option(names = "--clusters", required = true, description = "YAML with Cluster objects (multi-document or a List).")
    Path clusters;

    @Option(names = "--groups", description = "YAML with ClusterGroup objects.")
    Path groups;

    @Option(names = {"-n", "--namespace"}, defaultValue = "fleet-default",
            description = "Namespace of objects that name none (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, yaml or json (default: ${DEFAULT-VALUE}).")
    Output output;

    /** Bad input: names the file and the field. */
    static final class InputError extends RuntimeException {
        InputError(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws IOException {
        try {
            ObjectNode repo = gitRepo == null ? null : readObjects(gitRepo, Kind.GIT_REPO).get(0);
            GitRepoSettings settings = repo == null ? null : BundleFactory.settings(repo);
            List<ClusterInfo> clusterInfos = readObjects(clusters, Kind.CLUSTER).stream().map(TargetingInputs::cluster).toList();
            List<ClusterGroupInfo> groupInfos = groups == null ? List.of()
                    : readObjects(groups, Kind.CLUSTER_GROUP).stream().map(TargetingInputs::group).toList();
            List<ObjectNode> bundles = bundles(repo, settings);
            ArrayNode report = Json.MAPPER.createArrayNode();
            int failures = 0;
            for (ObjectNode b : bundles) {
                TargetingResult result = TargetingEngine.evaluate(TargetingInputs.bundle(b), clusterInfos, groupInfos);
                if (result.failed()) {
                    System.err.println("bundle " + Json.name(b) + ": " + result.error().message());
                    failures++;
                }
                report.add(describe(Json.name(b), result, clusterInfos));
            }
            print(report);
            return failures == 0 ? 0 : 1;
        } catch (InputError | ApiError | BundleReadException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private List<ObjectNode> bundles(ObjectNode repo, GitRepoSettings settings) throws IOException {
        String ns = repo == null ? namespace : Json.namespace(repo) == null ? namespace : Json.namespace(repo);
        if (Files.isDirectory(bundle)) {
            String repoName = repo == null ? "local" : Json.name(repo);
            List<ScannedBundle> scanned = BundleScanner.create().scan(ScanRequest.of(bundle, repoName));
            if (scanned.isEmpty()) {
                throw new InputError(bundle + ": " + BundleScanner.noResourcesMessage(ScanRequest.of(bundle, repoName)));
            }
            List<ObjectNode> out = new ArrayList<>();
            scanned.forEach(s -> out.add(BundleFactory.bundle(ns, s, settings)));
            return out;
        }
        return readObjects(bundle, Kind.BUNDLE);
    }

    private ObjectNode describe(String bundleName, TargetingResult result, List<ClusterInfo> clusterInfos) {
        ObjectNode out = Json.object();
        out.put("bundle", bundleName);
        if (result.failed()) {
            out.put("error", result.error().message());
        }
        ArrayNode rows = out.putArray("clusters");
        clusterInfos.stream().sorted(Comparator.comparing(ClusterInfo::namespace).thenComparing(ClusterInfo::name))
                .forEach(c -> {
                    ClusterKey key = c.key();
                    ObjectNode row = rows.addObject();
                    row.put("cluster", key.toString());
                    DesiredDeployment d = result.deployments().get(key);
                    Exclusion ex = result.exclusions().get(key);
                    row.put("deploy", d != null);
                    if (d != null) {
                        row.put("target", d.matchedTarget());
                        row.set("customizations", Json.MAPPER.valueToTree(d.matchedCustomizations()));
                        row.put("bundleDeployment", d.bdNamespace() + "/" + d.bdName());
                        row.put("deploymentID", d.deploymentId());
                        row.set("options", Json.MAPPER.valueToTree(d.options()));
                    } else if (ex instanceof Exclusion.DoNotDeploy dnd) {
                        row.put("excludedBy", "doNotDeploy in " + dnd.customizationName());
                    } else if (ex != null) {
                        row.put("excludedBy", "no target matches");
                    } else if (result.failed()) {
                        row.put("excludedBy", "targeting error (above)");
                    } else {
                        row.put("excludedBy", "not a candidate (other namespace)");
                    }
                });
        return out;
    }

    private void print(ArrayNode report) throws IOException {
        switch (output) {
            case json -> System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            case yaml -> System.out.print(Json.YAML.writeValueAsString(report));
            case table -> {
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("BUNDLE", "CLUSTER", "BD", "TARGET", "CUSTOMIZATIONS", "EXCLUDED-BY", "DEPLOYMENT-ID"));
                for (JsonNode b : report) {
                    for (JsonNode c : b.path("clusters")) {
                        List<String> custom = new ArrayList<>();
                        c.path("customizations").forEach(x -> custom.add(x.asText()));
                        String id = c.path("deploymentID").asText("");
                        rows.add(List.of(b.path("bundle").asText(), c.path("cluster").asText(),
                                c.path("deploy").asBoolean() ? "yes" : "no", c.path("target").asText(""),
                                String.join(",", custom), c.path("excludedBy").asText(""),
                                id.length() > 24 ? id.substring(0, 12) + "…" + id.substring(id.length() - 8) : id));
                    }
                }
                System.out.print(Tables.render(rows));
            }
        }
    }

    /** Reads and validates the objects of a YAML file (multi-document, or a {@code List} with {@code items}). */
    private List<ObjectNode> readObjects(Path file, Kind kind) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InputError(file + ": no such file");
        }
        List<ObjectNode> out = new ArrayList<>();
        String text;
        try {
            text = YamlAliases.resolve(Files.readString(file));
        } catch (YamlAliases.AliasException e) {
            throw new InputError(file + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
        }
        try (MappingIterator<JsonNode> docs = Json.YAML.readerFor(JsonNode.class).readValues(text)) {
            int index = 0;
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                index++;
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                List<JsonNode> items = new ArrayList<>();
                if (doc.has("items")) {
                    doc.get("items").forEach(items::add);
                } else {
                    items.add(doc);
                }
                for (JsonNode item : items) {
                    if (!(item instanceof ObjectNode o)) {
                        throw new InputError(file + ": document " + index + " is not an object");
                    }
                    String ns = Json.namespace(o) == null ? namespace : Json.namespace(o);
                    try {
                        if (kind != Kind.BUNDLE) {
                            Validation.validate(o, kind, ns, null);
                        }
                    } catch (ApiError e) {
                        throw new InputError(file + ": " + kind.kindName() + " \"" + Json.name(o) + "\": " + e.getMessage());
                    }
                    Json.metadata(o).put("namespace", ns);
                    o.put("kind", kind.kindName());
                    out.add(o);
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InputError(file + ": not valid YAML at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ": " + e.getOriginalMessage());
        }
        if (out.isEmpty()) {
            throw new InputError(file + ": no " + kind.kindName() + " objects found");
        }
        return out;
    }
}

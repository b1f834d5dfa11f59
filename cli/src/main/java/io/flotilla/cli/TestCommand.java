package io.flotilla.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.LabelSelectorSpec;
import io.flotilla.bundle.reader.BundleNames;
import io.flotilla.bundle.reader.BundleReadException;
import io.flotilla.bundle.reader.BundleScanner;
import io.flotilla.bundle.reader.ScanRequest;
import io.flotilla.bundle.reader.ScannedBundle;
import io.flotilla.bundle.render.BundleRenderer;
import io.flotilla.bundle.render.ProcessKustomizeRunner;
import io.flotilla.bundle.render.RenderContext;
import io.flotilla.bundle.render.RenderException;
import io.flotilla.bundle.render.RenderedBundle;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.deploy.TargetingInputs;
import io.flotilla.manager.gitops.BundleFactory;
import io.flotilla.manager.targeting.BundleTargetsBuilder.GitRepoSettings;
import io.flotilla.manager.targeting.ClusterInfo;
import io.flotilla.manager.targeting.DesiredDeployment;
import io.flotilla.manager.targeting.Exclusion;
import io.flotilla.manager.targeting.TargetingEngine;
import io.flotilla.manager.targeting.TargetingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Render each bundle under DIR for a cluster with the given labels, choosing customizations exactly "
                + "as targeting does, and print the objects (like 'fleet test -l env=dev').")
final class TestCommand implements Callable<Integer> {
    enum Output { yaml, json }

    @Parameters(index = "0", description = "A checkout or bundle directory.")
    Path dir;

    @Option(names = {"-l", "--label"}, description = "Cluster label key=value (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--cluster-name", defaultValue = "local", description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String clusterName;

    @Option(names = {"-n", "--namespace"}, defaultValue = "fleet-default", description = "Cluster namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-o", "--output"}, defaultValue = "yaml", description = "yaml or json (default: ${DEFAULT-VALUE}).")
    Output output;

    @Option(names = "--kustomize", description = "Path of a kustomize binary (default: kustomize, else kubectl, on the PATH).")
    Path kustomizeBinary;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir)) {
            System.err.println("error: " + dir + " is not a directory");
            return 1;
        }
        ScanRequest request = ScanRequest.of(dir, "test");
        List<ScannedBundle> scanned;
        try {
            scanned = BundleScanner.create().scan(request);
        } catch (BundleReadException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        if (scanned.isEmpty()) {
            System.err.println("error: " + BundleScanner.noResourcesMessage(request));
            return 1;
        }
        // As if a GitRepo targeted every cluster: what decides is the fleet.yaml's customizations.
        GitRepoSettings everywhere = GitRepoSettings.of(List.of(new GitTarget("all", null, LabelSelectorSpec.everything(), null, null)));
        ClusterInfo cluster = new ClusterInfo(namespace, clusterName, labels, Map.of(), Map.of());
        BundleRenderer renderer = BundleRenderer.create();
        ArrayNode all = Json.MAPPER.createArrayNode();
        Path workDir = Files.createTempDirectory("flotilla-test");
        int failures = 0;
        try {
            for (ScannedBundle s : scanned) {
                ObjectNode bundle = BundleFactory.bundle(namespace, s, everywhere);
                TargetingResult result = TargetingEngine.evaluate(TargetingInputs.bundle(bundle), List.of(cluster), List.of());
                if (result.failed()) {
                    System.err.println("bundle " + s.name() + ": " + result.error().message());
                    failures++;
                    continue;
                }
                DesiredDeployment d = result.deployments().get(cluster.key());
                if (d == null) {
                    Exclusion why = result.exclusions().get(cluster.key());
                    System.err.println("# bundle " + s.name() + ": not deployed to this cluster ("
                            + (why instanceof Exclusion.DoNotDeploy dnd ? "doNotDeploy in " + dnd.customizationName()
                            : "no target matches") + ")");
                    continue;
                }
                System.err.println("# bundle " + s.name() + (d.matchedCustomizations().isEmpty() ? ""
                        : " with customizations " + String.join(", ", d.matchedCustomizations())));
                try {
                    ProcessKustomizeRunner kustomize = kustomizeBinary == null ? ProcessKustomizeRunner.fromEnvironment()
                            : ProcessKustomizeRunner.withBinary(kustomizeBinary);
                    RenderedBundle rendered = renderer.render(s.name(), s.resources(), d.options(),
                            RenderContext.of(BundleNames.helmReleaseName(s.name()), workDir, kustomize));
                    rendered.objects().forEach(o -> all.add(Json.MAPPER.valueToTree(o)));
                } catch (RenderException e) {
                    System.err.println("error: " + e.getMessage());
                    failures++;
                }
            }
        } finally {
            try (var walk = Files.walk(workDir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (output == Output.json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        } else {
            for (var o : all) {
                System.out.print("---\n" + Json.YAML.writeValueAsString(o));
            }
        }
        return failures == 0 ? 0 : 1;
    }
}

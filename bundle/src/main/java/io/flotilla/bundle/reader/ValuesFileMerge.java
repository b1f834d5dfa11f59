package io.flotilla.bundle.reader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flotilla.bundle.fleetyaml.FleetYaml;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.HelmValues;
import io.flotilla.bundle.yaml.YamlAliases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Merges {@code helm.valuesFiles} into {@code helm.values} at read time, as Fleet does (§2.5): for the bundle
 * when it names a chart, and for every target with a {@code helm} block; inline values are the base and each
 * file, in list order, is deep-merged on top.
 */
final class ValuesFileMerge {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Map<String, String> files;
    private final String dir;

    private ValuesFileMerge(Map<String, String> files, String dir) {
        this.files = files;
        this.dir = dir;
    }

    /**
     * @param files the values files' text by the path written in the fleet.yaml
     * @param dir   the bundle directory relative to the checkout, for messages
     */
    static FleetYaml apply(FleetYaml fleetYaml, Map<String, String> files, String dir) {
        ValuesFileMerge merge = new ValuesFileMerge(files, dir);
        BundleDeploymentOptions options = fleetYaml.options();
        HelmOptions helm = options.helm();
        if (helm != null && helm.chart() != null && !helm.chart().isEmpty()) {
            options = options.toBuilder().helm(merge.merged(helm)).build();
        }
        return new FleetYaml(fleetYaml.name(), fleetYaml.labels(), fleetYaml.annotations(), options,
                fleetYaml.paused(), fleetYaml.rolloutStrategy(), fleetYaml.dependsOn(),
                fleetYaml.targetCustomizationMode(), merge.targets(fleetYaml.targets()),
                merge.targets(fleetYaml.targetCustomizations()), fleetYaml.overrideTargets(), fleetYaml.imageScans());
    }

    private List<BundleTarget> targets(List<BundleTarget> targets) {
        List<BundleTarget> out = new ArrayList<>(targets.size());
        for (BundleTarget t : targets) {
            HelmOptions helm = t.options().helm();
            if (helm == null) {
                out.add(t);
                continue;
            }
            out.add(new BundleTarget(t.name(), t.clusterName(), t.clusterSelector(), t.clusterGroup(),
                    t.clusterGroupSelector(), t.doNotDeploy(), t.namespaceLabels(), t.namespaceAnnotations(),
                    t.options().toBuilder().helm(merged(helm)).build()));
        }
        return out;
    }

    private HelmOptions merged(HelmOptions helm) {
        if (helm.valuesFiles() == null || helm.valuesFiles().isEmpty()) {
            return helm;
        }
        List<Map<String, Object>> parsed = new ArrayList<>();
        for (String file : helm.valuesFiles()) {
            parsed.add(parse(file));
        }
        Map<String, Object> values = HelmValues.mergeValuesFiles(helm.values(), parsed);
        return values == null || values.isEmpty() ? helm : helm.toBuilder().values(values).build();
    }

    private Map<String, Object> parse(String file) {
        String text = files.get(file);
        if (text == null) {
            throw new BundleReadException("reading values file: " + GoPaths.join(dir, file) + ": no such file");
        }
        try {
            JsonNode node = YAML.readTree(YamlAliases.resolve(text));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw new BundleReadException("reading values file: " + GoPaths.join(dir, file)
                        + ": the document must be a map");
            }
            return YAML.convertValue(node, MAP);
        } catch (JsonProcessingException e) {
            throw new BundleReadException("reading values file: " + GoPaths.join(dir, file) + ": "
                    + e.getOriginalMessage(), e);
        } catch (YamlAliases.AliasException e) {
            throw new BundleReadException("reading values file: " + GoPaths.join(dir, file)
                    + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
        }
    }
}

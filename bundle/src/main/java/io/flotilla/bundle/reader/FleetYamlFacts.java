package io.flotilla.bundle.reader;

import io.flotilla.bundle.fleetyaml.FleetYaml;
import io.flotilla.bundle.fleetyaml.FleetYamlException;
import io.flotilla.bundle.fleetyaml.FleetYamlParser;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the reader needs from a fleet.yaml: the {@code name:} override, the {@code labels:}, and the values
 * files of {@code helm} and of every {@code targets}/{@code targetCustomizations} entry, with whether the
 * bundle-level {@code helm.chart} is set (Fleet reads the bundle-level values files only then).
 */
record FleetYamlFacts(FleetYaml fleetYaml, String name, Map<String, String> labels, List<String> bundleValuesFiles,
                      boolean bundleChart, List<String> targetValuesFiles) {

    static final FleetYamlFacts EMPTY = of(FleetYaml.empty());

    /**
     * @throws BundleReadException naming the file, line and error for an invalid fleet.yaml
     */
    static FleetYamlFacts parse(String content, String fileName) {
        try {
            return of(FleetYamlParser.parse(content, fileName));
        } catch (FleetYamlException e) {
            throw new BundleReadException(e.getMessage(), e);
        }
    }

    static FleetYamlFacts of(FleetYaml fleetYaml) {
        List<String> targetValues = new ArrayList<>();
        for (List<BundleTarget> targets : List.of(fleetYaml.targets(), fleetYaml.targetCustomizations())) {
            for (BundleTarget target : targets) {
                targetValues.addAll(valuesFiles(target.options()));
            }
        }
        BundleDeploymentOptions.HelmOptions helm = fleetYaml.options().helm();
        boolean chart = helm != null && helm.chart() != null && !helm.chart().isEmpty();
        return new FleetYamlFacts(fleetYaml, fleetYaml.name() == null ? "" : fleetYaml.name(), fleetYaml.labels(),
                valuesFiles(fleetYaml.options()), chart, List.copyOf(targetValues));
    }

    private static List<String> valuesFiles(BundleDeploymentOptions options) {
        if (options == null || options.helm() == null || options.helm().valuesFiles() == null) {
            return List.of();
        }
        return options.helm().valuesFiles();
    }
}

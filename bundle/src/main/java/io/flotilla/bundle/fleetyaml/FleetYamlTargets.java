package io.flotilla.bundle.fleetyaml;

import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleTarget;
import java.util.ArrayList;
import java.util.List;

/** Steps 1-3 of fleet-semantics §2.5: the customizations a fleet.yaml contributes to its bundle's targets. */
public final class FleetYamlTargets {

    private FleetYamlTargets() {
    }

    /**
     * {@code targets} followed by {@code targetCustomizations}; an unnamed entry is named {@code target%03d} after
     * its index in that combined list; an entry with a {@code helm} block that leaves {@code repo}, {@code chart}
     * or {@code version} empty gets the bundle root's value.
     */
    public static List<BundleTarget> customizationsOf(FleetYaml fleetYaml) {
        List<BundleTarget> combined = new ArrayList<>(fleetYaml.targets());
        combined.addAll(fleetYaml.targetCustomizations());
        HelmOptions rootHelm = fleetYaml.options().helm();
        List<BundleTarget> result = new ArrayList<>(combined.size());
        for (int i = 0; i < combined.size(); i++) {
            BundleTarget target = combined.get(i);
            if (target.name() == null || target.name().isEmpty()) {
                target = target.withName(String.format("target%03d", i));
            }
            HelmOptions helm = target.options().helm();
            if (helm != null && rootHelm != null) {
                HelmOptions completed = helm.toBuilder()
                        .repo(orElse(helm.repo(), rootHelm.repo()))
                        .chart(orElse(helm.chart(), rootHelm.chart()))
                        .version(orElse(helm.version(), rootHelm.version()))
                        .build();
                target = target.withOptions(target.options().toBuilder().helm(completed).build());
            }
            result.add(target);
        }
        return List.copyOf(result);
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}

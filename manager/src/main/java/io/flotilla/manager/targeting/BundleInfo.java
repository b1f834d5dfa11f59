package io.flotilla.manager.targeting;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.GitTarget;
import java.util.List;
import java.util.Map;

/**
 * What targeting needs of a Bundle: its labels (copied to BDs), spec options, ordered {@code targets}
 * (customizations first, then GitRepo targets, see {@link BundleTargetsBuilder}), {@code targetRestrictions},
 * {@code targetCustomizationMode} ({@code FirstMatch} when null or empty, or {@code AllMatches}) and the
 * content id the deploymentID is built from.
 */
public record BundleInfo(String namespace, String name, Map<String, String> labels,
        BundleDeploymentOptions options, List<BundleTarget> targets, List<GitTarget> targetRestrictions,
        String targetCustomizationMode, String manifestId) {

    public static final String FIRST_MATCH = "FirstMatch";
    public static final String ALL_MATCHES = "AllMatches";

    public BundleInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? BundleDeploymentOptions.empty() : options;
        targets = targets == null ? List.of() : List.copyOf(targets);
        targetRestrictions = targetRestrictions == null ? List.of() : List.copyOf(targetRestrictions);
    }

    public BundleKey key() {
        return new BundleKey(namespace, name);
    }

    public boolean allMatches() {
        return ALL_MATCHES.equals(targetCustomizationMode);
    }
}

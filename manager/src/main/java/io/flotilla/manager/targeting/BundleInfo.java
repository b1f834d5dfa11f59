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
 * content id the deploymentID is built from, and the matchers of its manual {@code rolloutStrategy.partitions}.
 */
public record BundleInfo(String namespace, String name, Map<String, String> labels,
        BundleDeploymentOptions options, List<BundleTarget> targets, List<GitTarget> targetRestrictions,
        String targetCustomizationMode, String manifestId, List<GitTarget> rolloutPartitions) {

    public static final String FIRST_MATCH = "FirstMatch";
    public static final String ALL_MATCHES = "AllMatches";

    public BundleInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? BundleDeploymentOptions.empty() : options;
        targets = targets == null ? List.of() : List.copyOf(targets);
        targetRestrictions = targetRestrictions == null ? List.of() : List.copyOf(targetRestrictions);
        rolloutPartitions = rolloutPartitions == null ? List.of() : List.copyOf(rolloutPartitions);
    }

    /** A bundle without manual rollout partitions. */
    public BundleInfo(String namespace, String name, Map<String, String> labels, BundleDeploymentOptions options,
            List<BundleTarget> targets, List<GitTarget> targetRestrictions, String targetCustomizationMode,
            String manifestId) {
        this(namespace, name, labels, options, targets, targetRestrictions, targetCustomizationMode, manifestId,
                List.of());
    }

    public BundleKey key() {
        return new BundleKey(namespace, name);
    }

    public boolean allMatches() {
        return ALL_MATCHES.equals(targetCustomizationMode);
    }
}

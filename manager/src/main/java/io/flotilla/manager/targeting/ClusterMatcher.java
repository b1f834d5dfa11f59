package io.flotilla.manager.targeting;

import io.flotilla.bundle.options.GitTarget;
import java.util.List;

/**
 * The criteria of one target, restriction or customization (§3.3): every set field must hold, and a target with
 * no criteria matches nothing. Group criteria are evaluated against one group at a time.
 */
final class ClusterMatcher {

    static final String DISPLAY_NAME_LABEL = "management.cattle.io/cluster-display-name";

    private final String clusterName;
    private final LabelSelector clusterSelector;
    private final String clusterGroup;
    private final LabelSelector clusterGroupSelector;
    private final boolean hasCriteria;

    private ClusterMatcher(String clusterName, LabelSelector clusterSelector, String clusterGroup,
            LabelSelector clusterGroupSelector) {
        this.clusterName = clusterName;
        this.clusterSelector = clusterSelector;
        this.clusterGroup = clusterGroup;
        this.clusterGroupSelector = clusterGroupSelector;
        this.hasCriteria = clusterName != null || clusterSelector != null || clusterGroup != null
                || clusterGroupSelector != null;
    }

    /** @throws InvalidSelectorException when a selector is invalid */
    static ClusterMatcher of(GitTarget target) {
        return new ClusterMatcher(emptyToNull(target.clusterName()), Selectors.compile(target.clusterSelector()),
                emptyToNull(target.clusterGroup()), Selectors.compile(target.clusterGroupSelector()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** True when all criteria hold for this cluster evaluated as a member of {@code group}. */
    boolean matches(ClusterInfo cluster, GroupRef group) {
        if (!hasCriteria) {
            return false;
        }
        if (clusterName != null && !clusterName.equals(cluster.name())
                && !clusterName.equals(cluster.labels().get(DISPLAY_NAME_LABEL))) {
            return false;
        }
        if (clusterGroup != null && !clusterGroup.equals(group.name())) {
            return false;
        }
        if (clusterGroupSelector != null && !clusterGroupSelector.matches(group.labels())) {
            return false;
        }
        return clusterSelector == null || clusterSelector.matches(cluster.labels());
    }

    /** True when the criteria hold for any single group of the cluster (or for "no group" when it has none). */
    boolean matchesAnyGroup(ClusterInfo cluster, List<GroupRef> groups) {
        for (GroupRef g : groups) {
            if (matches(cluster, g)) {
                return true;
            }
        }
        return false;
    }

    static boolean anyMatches(List<ClusterMatcher> matchers, ClusterInfo cluster, GroupRef group) {
        for (ClusterMatcher m : matchers) {
            if (m.matches(cluster, group)) {
                return true;
            }
        }
        return false;
    }
}

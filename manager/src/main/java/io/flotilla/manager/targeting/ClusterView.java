package io.flotilla.manager.targeting;

import java.util.List;

/**
 * A cluster prepared once for evaluation against many bundles: its groups (never empty: a cluster in no group is
 * evaluated once with {@link GroupRef#NONE}), its BD namespace, and whether it has labels templating can see.
 */
record ClusterView(ClusterInfo cluster, ClusterKey key, List<GroupRef> groups, String bdNamespace,
        boolean hasTemplateLabels) {

    static ClusterView of(ClusterInfo cluster, List<GroupRef> memberships) {
        return new ClusterView(cluster, cluster.key(), memberships.isEmpty() ? List.of(GroupRef.NONE)
                : List.copyOf(memberships), ClusterNamespaces.of(cluster.namespace(), cluster.name()),
                !LabelFilters.templateLabels(cluster.labels()).isEmpty());
    }

    ClusterView withGroups(List<GroupRef> memberships) {
        return new ClusterView(cluster, key, memberships.isEmpty() ? List.of(GroupRef.NONE)
                : List.copyOf(memberships), bdNamespace, hasTemplateLabels);
    }
}

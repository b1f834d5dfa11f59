package io.flotilla.manager.targeting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** A ClusterGroup with its selector compiled (§3.2). A null or invalid selector selects no cluster. */
record CompiledGroup(ClusterGroupInfo info, LabelSelector selector, GroupRef ref) {

    static CompiledGroup of(ClusterGroupInfo info) {
        LabelSelector selector;
        try {
            selector = Selectors.compile(info.selector());
        } catch (InvalidSelectorException e) {
            // Fleet logs and ignores a group with an invalid selector
            selector = null;
        }
        return new CompiledGroup(info, selector, new GroupRef(info.name(), info.labels()));
    }

    boolean contains(ClusterInfo cluster) {
        return selector != null && cluster.namespace().equals(info.namespace()) && selector.matches(cluster.labels());
    }

    /** The groups of {@code cluster} among {@code groups}, sorted by name. */
    static List<GroupRef> membershipsOf(ClusterInfo cluster, Collection<CompiledGroup> groups) {
        List<GroupRef> result = new ArrayList<>();
        for (CompiledGroup g : groups) {
            if (g.contains(cluster)) {
                result.add(g.ref());
            }
        }
        result.sort(Comparator.comparing(GroupRef::name));
        return result;
    }
}

package io.flotilla.manager.targeting;

import io.flotilla.bundle.options.LabelSelectorSpec;
import java.util.Map;

/**
 * A ClusterGroup: {@code labels} are the group object's own labels (what {@code clusterGroupSelector} matches);
 * {@code selector} picks its member clusters in the same namespace (null: no members).
 */
public record ClusterGroupInfo(String namespace, String name, Map<String, String> labels,
        LabelSelectorSpec selector) {

    public ClusterGroupInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}

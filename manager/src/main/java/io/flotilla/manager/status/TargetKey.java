package io.flotilla.manager.status;

import java.util.Comparator;

/** A Bundle target in summary order: by cluster name, then the BD (null for a target without BD, listed first). */
record TargetKey(StatusKey cluster, BdKey bd) implements Comparable<TargetKey> {
    private static final Comparator<TargetKey> ORDER = Comparator.comparing(TargetKey::cluster)
            .thenComparing(TargetKey::bd, Comparator.nullsFirst(Comparator.naturalOrder()));

    @Override
    public int compareTo(TargetKey o) {
        return ORDER.compare(this, o);
    }
}

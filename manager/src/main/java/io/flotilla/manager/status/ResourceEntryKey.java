package io.flotilla.manager.status;

import java.util.Comparator;

/** One BD's contribution to a GitRepo resource: ordered by cluster id, as Fleet orders BDs for {@code resources}. */
record ResourceEntryKey(String clusterId, BdKey bd) implements Comparable<ResourceEntryKey> {
    private static final Comparator<ResourceEntryKey> ORDER = Comparator.comparing(ResourceEntryKey::clusterId)
            .thenComparing(ResourceEntryKey::bd);

    @Override
    public int compareTo(ResourceEntryKey o) {
        return ORDER.compare(this, o);
    }
}

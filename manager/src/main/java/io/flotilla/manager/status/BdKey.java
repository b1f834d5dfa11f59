package io.flotilla.manager.status;

import java.util.Comparator;
import java.util.Objects;

/** Identity of a BundleDeployment: its namespace (the cluster namespace) and name. Ordered by name, then namespace. */
public record BdKey(String namespace, String name) implements Comparable<BdKey> {
    private static final Comparator<BdKey> ORDER = Comparator.comparing(BdKey::name).thenComparing(BdKey::namespace);

    public BdKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(BdKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

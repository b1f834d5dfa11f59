package io.flotilla.manager.status;

import java.util.Comparator;
import java.util.Objects;

/** An object whose status the index aggregates. Ordered by name, then namespace, as Fleet sorts clusters and bundles. */
public record StatusKey(Kind kind, String namespace, String name) implements Comparable<StatusKey> {
    private static final Comparator<StatusKey> ORDER = Comparator.comparing(StatusKey::name)
            .thenComparing(StatusKey::namespace).thenComparing(StatusKey::kind);

    /** The aggregated kinds. */
    public enum Kind { GIT_REPO, BUNDLE, CLUSTER, CLUSTER_GROUP }

    public StatusKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public static StatusKey gitRepo(String namespace, String name) {
        return new StatusKey(Kind.GIT_REPO, namespace, name);
    }

    public static StatusKey bundle(String namespace, String name) {
        return new StatusKey(Kind.BUNDLE, namespace, name);
    }

    public static StatusKey cluster(String namespace, String name) {
        return new StatusKey(Kind.CLUSTER, namespace, name);
    }

    public static StatusKey clusterGroup(String namespace, String name) {
        return new StatusKey(Kind.CLUSTER_GROUP, namespace, name);
    }

    /** {@code namespace/name}: the cluster id used in Bundle summaries and GitRepo per-cluster fields. */
    public String id() {
        return namespace + "/" + name;
    }

    @Override
    public int compareTo(StatusKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return kind + " " + id();
    }
}

package io.flotilla.manager.targeting;

/** A Cluster's registration namespace and name. */
public record ClusterKey(String namespace, String name) {

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

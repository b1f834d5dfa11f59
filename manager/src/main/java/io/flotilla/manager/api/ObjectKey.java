package io.flotilla.manager.api;

import java.util.Objects;

/** Identity of a stored object: kind, namespace and name. */
public record ObjectKey(Kind kind, String namespace, String name) {
    public ObjectKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return kind.kindName() + " " + namespace + "/" + name;
    }
}

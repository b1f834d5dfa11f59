package io.flotilla.manager.targeting;

/** A Bundle's namespace and name. */
public record BundleKey(String namespace, String name) {

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

package io.flotilla.agent.status;

import io.flotilla.agent.model.ObjectRef;

/** An entry of BD {@code status.resources}: a desired object and, when it exists, its creation time. */
public record ResourceEntry(String kind, String apiVersion, String namespace, String name, String createdAt) {

    public static ResourceEntry of(ObjectRef ref, String createdAt) {
        return new ResourceEntry(ref.kind(), ref.apiVersion(), ref.namespace(), ref.name(),
                createdAt == null ? "" : createdAt);
    }
}

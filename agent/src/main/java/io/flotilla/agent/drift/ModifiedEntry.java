package io.flotilla.agent.drift;

import io.flotilla.agent.model.ObjectRef;

/**
 * Fleet's ModifiedStatus: a desired object that is missing ({@code missing}; with {@code exist} when an object
 * of that name exists but is not ours), an owned object no longer desired ({@code delete}), or a live object
 * that differs from what was applied ({@code patch}, a JSON merge patch from live to desired).
 */
public record ModifiedEntry(String kind, String apiVersion, String namespace, String name,
                            boolean missing, boolean exist, boolean delete, String patch) {

    public ModifiedEntry {
        patch = patch == null ? "" : patch;
    }

    public static ModifiedEntry missing(ObjectRef ref) {
        return new ModifiedEntry(ref.kind(), ref.apiVersion(), ref.namespace(), ref.name(), true, false, false, "");
    }

    public static ModifiedEntry notOwned(ObjectRef ref) {
        return new ModifiedEntry(ref.kind(), ref.apiVersion(), ref.namespace(), ref.name(), true, true, false, "");
    }

    public static ModifiedEntry extra(ObjectRef ref) {
        return new ModifiedEntry(ref.kind(), ref.apiVersion(), ref.namespace(), ref.name(), false, false, true, "");
    }

    public static ModifiedEntry modified(ObjectRef ref, String patch) {
        return new ModifiedEntry(ref.kind(), ref.apiVersion(), ref.namespace(), ref.name(), false, false, false, patch);
    }

    public ObjectRef ref() {
        return new ObjectRef(apiVersion, kind, namespace, name);
    }

    /** The §7.4 string form, e.g. {@code configmap.v1 ns/cfg modified {"data":{"a":"1"}}}. */
    @Override
    public String toString() {
        String id = ref().id();
        if (missing) {
            return id + (exist ? " is not owned by us" : " missing");
        }
        if (delete) {
            return id + " extra";
        }
        return id + " modified " + patch;
    }
}

package io.flotilla.manager.status;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A drifted resource (Fleet's ModifiedStatus): {@code missing} means "should be created" (Fleet's create flag),
 * {@code exist} that an object with that name exists but is not ours, {@code delete} that it should not exist,
 * otherwise {@code patch} is the JSON merge patch back to the desired state.
 */
public record Modified(ResourceRef resource, boolean missing, boolean exist, boolean delete, String patch) {
    public Modified {
        Objects.requireNonNull(resource, "resource");
        patch = Objects.requireNonNullElse(patch, "");
    }

    /** §7.4 string form. */
    public String describe() {
        String id = resource.describe();
        if (missing) {
            return exist ? id + " is not owned by us" : id + " missing";
        }
        if (delete) {
            return id + " extra";
        }
        return id + " modified " + patch;
    }

    /** The per-cluster resource state this entry gives in GitRepo {@code status.resources} (§6.10). */
    String resourceState() {
        return missing ? "Missing" : delete ? "Orphaned" : "Modified";
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        NonReady.putIfNotEmpty(m, "kind", resource.kind());
        NonReady.putIfNotEmpty(m, "apiVersion", resource.apiVersion());
        NonReady.putIfNotEmpty(m, "namespace", resource.namespace());
        NonReady.putIfNotEmpty(m, "name", resource.name());
        if (missing) {
            m.put("missing", true);
        }
        if (exist) {
            m.put("exist", true);
        }
        if (delete) {
            m.put("delete", true);
        }
        NonReady.putIfNotEmpty(m, "patch", patch);
        return m;
    }
}

package io.flotilla.bundle.render;

import java.util.LinkedHashMap;
import java.util.Map;

/** A parsed Kubernetes object (mutable plain maps) and the file it came from, for error messages. */
record ManifestObject(String file, Map<String, Object> object) {

    String kind() {
        return String.valueOf(object.get("kind"));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> metadata() {
        Object metadata = object.get("metadata");
        if (metadata instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        object.put("metadata", created);
        return created;
    }

    String name() {
        Object metadata = object.get("metadata");
        return metadata instanceof Map<?, ?> m && m.get("name") != null ? String.valueOf(m.get("name")) : "";
    }
}

package io.flotilla.manager.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An agent-reported resource that is not ready (Fleet's NonReadyStatus). {@code state} is lower-case, e.g. {@code in-progress}. */
public record NonReady(String uid, ResourceRef resource, String state, boolean error, boolean transitioning,
                       List<String> messages) {
    public NonReady {
        uid = Objects.requireNonNullElse(uid, "");
        Objects.requireNonNull(resource, "resource");
        state = Objects.requireNonNullElse(state, "");
        messages = List.copyOf(Objects.requireNonNullElse(messages, List.of()));
    }

    /**
     * §7.4: {@code <id> <summary>}. Fleet renders an error that is not transitioning as {@code "error]"}
     * (§9 item 16); Flotilla writes {@code "[error]"}.
     */
    public String describe() {
        String summary;
        if (!transitioning && !error) {
            summary = state;
        } else if (transitioning && error) {
            summary = "[progressing,error]";
        } else if (transitioning) {
            summary = "[progressing]";
        } else {
            summary = "[error]";
        }
        if (!messages.isEmpty()) {
            summary = summary + " " + String.join(", ", messages);
        }
        return resource.describe() + " " + summary;
    }

    /** Fleet's JSON form: {@code {uid, kind, apiVersion, namespace, name, summary:{state, error, transitioning, message}}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfNotEmpty(m, "uid", uid);
        putIfNotEmpty(m, "kind", resource.kind());
        putIfNotEmpty(m, "apiVersion", resource.apiVersion());
        putIfNotEmpty(m, "namespace", resource.namespace());
        putIfNotEmpty(m, "name", resource.name());
        Map<String, Object> summary = new LinkedHashMap<>();
        putIfNotEmpty(summary, "state", state);
        if (error) {
            summary.put("error", true);
        }
        if (transitioning) {
            summary.put("transitioning", true);
        }
        if (!messages.isEmpty()) {
            summary.put("message", messages);
        }
        m.put("summary", summary);
        return m;
    }

    static void putIfNotEmpty(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }
}

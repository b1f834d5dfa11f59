package io.flotilla.agent.drift;

import io.flotilla.agent.model.Maps;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * kubectl's client-side three-way merge as an RFC 7386 JSON merge patch: fields removed since the last
 * applied configuration are deleted ({@code null}), and every field of the desired object that the live
 * object lacks or holds differently is set. Lists are replaced whole (merge-patch semantics), but only when
 * the live list does not already satisfy the desired one (see {@link Values}).
 */
public final class ThreeWayMerge {
    private ThreeWayMerge() {
    }

    /** The patch turning {@code live} into {@code desired}; empty when nothing needs to change. */
    public static Map<String, Object> patch(Map<String, Object> lastApplied, Map<String, Object> desired,
                                            Map<String, Object> live) {
        Map<String, Object> patch = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : desired.entrySet()) {
            String key = e.getKey();
            Object want = e.getValue();
            Object have = live.get(key);
            if (want == null) {
                if (have != null) {
                    patch.put(key, null);
                }
            } else if (want instanceof Map<?, ?> && have instanceof Map<?, ?>) {
                Map<String, Object> sub = patch(Maps.map(lastApplied, key), Maps.map(desired, key), Maps.map(live, key));
                if (!sub.isEmpty()) {
                    patch.put(key, sub);
                }
            } else if (!Values.satisfies(want, have)) {
                patch.put(key, Maps.deepCopy(want));
            }
        }
        for (String key : lastApplied.keySet()) {
            if (!desired.containsKey(key) && live.get(key) != null) {
                patch.put(key, null);
            }
        }
        return patch;
    }
}

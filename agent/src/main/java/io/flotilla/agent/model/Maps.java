package io.flotilla.agent.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Navigation and deep copies of JSON-shaped values (maps, lists, scalars). */
public final class Maps {
    private Maps() {
    }

    /** The value at a path of map keys, or null when any step is missing or not a map. */
    public static Object get(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    /** The string at a path, {@code ""} when missing; non-strings are rendered with {@code toString}. */
    public static String string(Map<String, Object> root, String... path) {
        Object value = get(root, path);
        return value == null ? "" : value.toString();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> root, String... path) {
        Object value = get(root, path);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> root, String... path) {
        Object value = get(root, path);
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** A number at a path as long, or {@code fallback} when missing or not numeric. */
    public static long number(Map<String, Object> root, long fallback, String... path) {
        Object value = get(root, path);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /** A mutable deep copy (LinkedHashMap / ArrayList), keeping key order. */
    @SuppressWarnings("unchecked")
    public static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }

    /** The child map under {@code key}, created when absent (for building mutable copies). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> child(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(key, created);
        return created;
    }
}

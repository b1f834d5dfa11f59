package io.flotilla.bundle.render;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** RFC 6902 JSON Patch over plain maps, lists and scalars ({@code _patch} files that hold a list of operations). */
final class JsonPatch {

    private JsonPatch() {
    }

    /** Thrown for an invalid operation or a failed {@code test}; the message says which operation. */
    static final class PatchException extends Exception {
        PatchException(String message) {
            super(message);
        }
    }

    /** Applies the operations in order to a deep copy of {@code document}. */
    static Object apply(Object document, List<?> operations) throws PatchException {
        Object result = copy(document);
        for (int i = 0; i < operations.size(); i++) {
            if (!(operations.get(i) instanceof Map<?, ?> operation)) {
                throw new PatchException("operation " + i + " is not an object");
            }
            result = applyOne(result, operation, i);
        }
        return result;
    }

    private static Object applyOne(Object document, Map<?, ?> operation, int index) throws PatchException {
        String op = String.valueOf(operation.get("op"));
        List<String> path = pointer(operation.get("path"), index);
        switch (op) {
            case "add" -> {
                return add(document, path, copy(requireValue(operation, index)), index);
            }
            case "remove" -> {
                remove(document, path, index);
                return document;
            }
            case "replace" -> {
                Object value = copy(requireValue(operation, index));
                if (path.isEmpty()) {
                    return value;
                }
                remove(document, path, index);
                return add(document, path, value, index);
            }
            case "move" -> {
                List<String> from = pointer(operation.get("from"), index);
                Object value = get(document, from, index);
                remove(document, from, index);
                return add(document, path, value, index);
            }
            case "copy" -> {
                Object value = copy(get(document, pointer(operation.get("from"), index), index));
                return add(document, path, value, index);
            }
            case "test" -> {
                if (!Objects.equals(normalise(get(document, path, index)), normalise(operation.get("value")))) {
                    throw new PatchException("operation " + index + ": test failed at " + operation.get("path"));
                }
                return document;
            }
            default -> throw new PatchException("operation " + index + ": unknown op \"" + op + "\"");
        }
    }

    private static Object requireValue(Map<?, ?> operation, int index) throws PatchException {
        if (!operation.containsKey("value")) {
            throw new PatchException("operation " + index + ": \"value\" is missing");
        }
        return operation.get("value");
    }

    @SuppressWarnings("unchecked")
    private static Object add(Object document, List<String> path, Object value, int index) throws PatchException {
        if (path.isEmpty()) {
            return value;
        }
        Object parent = get(document, path.subList(0, path.size() - 1), index);
        String last = path.get(path.size() - 1);
        if (parent instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).put(last, value);
        } else if (parent instanceof List<?> list) {
            int at = last.equals("-") ? list.size() : arrayIndex(last, list.size() + 1, index);
            ((List<Object>) list).add(at, value);
        } else {
            throw new PatchException("operation " + index + ": cannot add below a scalar");
        }
        return document;
    }

    private static void remove(Object document, List<String> path, int index) throws PatchException {
        if (path.isEmpty()) {
            throw new PatchException("operation " + index + ": cannot remove the whole document");
        }
        Object parent = get(document, path.subList(0, path.size() - 1), index);
        String last = path.get(path.size() - 1);
        if (parent instanceof Map<?, ?> map && map.containsKey(last)) {
            map.remove(last);
        } else if (parent instanceof List<?> list) {
            list.remove(arrayIndex(last, list.size(), index));
        } else {
            throw new PatchException("operation " + index + ": nothing to remove at /" + String.join("/", path));
        }
    }

    private static Object get(Object document, List<String> path, int index) throws PatchException {
        Object current = document;
        for (String token : path) {
            if (current instanceof Map<?, ?> map && map.containsKey(token)) {
                current = map.get(token);
            } else if (current instanceof List<?> list) {
                current = list.get(arrayIndex(token, list.size(), index));
            } else {
                throw new PatchException("operation " + index + ": path /" + String.join("/", path) + " does not exist");
            }
        }
        return current;
    }

    private static int arrayIndex(String token, int limit, int index) throws PatchException {
        try {
            int i = Integer.parseInt(token);
            if (i >= 0 && i < limit && (token.equals("0") || !token.startsWith("0"))) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PatchException("operation " + index + ": invalid array index \"" + token + "\"");
    }

    /** RFC 6901 pointer into its reference tokens. */
    private static List<String> pointer(Object path, int index) throws PatchException {
        if (!(path instanceof String text) || !text.isEmpty() && !text.startsWith("/")) {
            throw new PatchException("operation " + index + ": invalid JSON pointer " + path);
        }
        List<String> tokens = new ArrayList<>();
        if (text.isEmpty()) {
            return tokens;
        }
        for (String token : text.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    /** Mutable deep copy of maps and lists. */
    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(copy(v)));
            return copy;
        }
        return value;
    }

    /** Numbers compare by value whatever their Java type. */
    private static Object normalise(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), normalise(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JsonPatch::normalise).toList();
        }
        return value;
    }
}

package io.flotilla.agent.drift;

import io.flotilla.agent.model.Maps;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.bundle.options.BundleDeploymentOptions.ComparePatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code diff.comparePatches}: which objects a patch applies to (empty fields match anything, {@code name} may
 * be a regular expression), which JSON pointers drift detection ignores ({@code jsonPointers} and
 * {@code remove} operations), and whether the object is ignored altogether ({@code ignore} operation).
 */
public final class ComparePatches {
    private final List<ComparePatch> patches;

    private ComparePatches(List<ComparePatch> patches) {
        this.patches = patches;
    }

    public static ComparePatches of(List<ComparePatch> patches) {
        return new ComparePatches(patches == null ? List.of() : List.copyOf(patches));
    }

    public static ComparePatches none() {
        return of(List.of());
    }

    /** True when an {@code ignore} operation excludes the object from drift checks. */
    public boolean ignores(ObjectRef ref) {
        return matching(ref).stream().filter(p -> p.operations() != null)
                .flatMap(p -> p.operations().stream()).anyMatch(op -> "ignore".equals(op.op()));
    }

    /** A copy of {@code object} without the paths the matching patches exclude from comparison. */
    public Map<String, Object> strip(ObjectRef ref, Map<String, Object> object) {
        List<String> pointers = new ArrayList<>();
        for (ComparePatch p : matching(ref)) {
            if (p.jsonPointers() != null) {
                pointers.addAll(p.jsonPointers());
            }
            if (p.operations() != null) {
                p.operations().stream().filter(op -> "remove".equals(op.op()) && op.path() != null)
                        .forEach(op -> pointers.add(op.path()));
            }
        }
        Map<String, Object> copy = Maps.deepCopy(object);
        pointers.forEach(pointer -> remove(copy, pointer));
        return copy;
    }

    private List<ComparePatch> matching(ObjectRef ref) {
        return patches.stream().filter(p -> matches(p, ref)).toList();
    }

    static boolean matches(ComparePatch p, ObjectRef ref) {
        return field(p.apiVersion(), ref.apiVersion()) && field(p.kind(), ref.kind())
                && field(p.namespace(), ref.namespace()) && name(p.name(), ref.name());
    }

    private static boolean field(String wanted, String actual) {
        return wanted == null || wanted.isEmpty() || wanted.equals(actual);
    }

    private static boolean name(String wanted, String actual) {
        if (wanted == null || wanted.isEmpty() || wanted.equals(actual)) {
            return true;
        }
        try {
            return Pattern.compile(wanted).matcher(actual).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** Removes the value at an RFC 6901 pointer, if present. */
    @SuppressWarnings("unchecked")
    static void remove(Object root, String pointer) {
        if (pointer == null || pointer.isEmpty() || !pointer.startsWith("/")) {
            return;
        }
        String[] tokens = pointer.substring(1).split("/", -1);
        Object current = root;
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i].replace("~1", "/").replace("~0", "~");
            boolean last = i == tokens.length - 1;
            if (current instanceof Map<?, ?> map) {
                if (last) {
                    ((Map<String, Object>) map).remove(token);
                    return;
                }
                current = map.get(token);
            } else if (current instanceof List<?> list) {
                int index;
                try {
                    index = Integer.parseInt(token);
                } catch (NumberFormatException e) {
                    return;
                }
                if (index < 0 || index >= list.size()) {
                    return;
                }
                if (last) {
                    list.remove(index);
                    return;
                }
                current = list.get(index);
            } else {
                return;
            }
        }
    }
}

package io.flotilla.manager.targeting.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Go's built-in template functions and the sprig/Helm functions Fleet users template values with. Argument order
 * follows sprig, so piped values arrive last ({@code .x | default "y"} is {@code default "y" .x}).
 */
final class TemplateFunctions {

    /** A function refused its arguments; the executor adds the expression. */
    static final class FunctionError extends RuntimeException {
        FunctionError(String message) {
            super(message);
        }
    }

    private static final Map<String, Function<List<Object>, Object>> FUNCTIONS = new HashMap<>();

    static {
        // Go built-ins; "and"/"or" are evaluated lazily by the executor and only registered by name here
        FUNCTIONS.put("and", args -> {
            throw new IllegalStateException("and is evaluated by the executor");
        });
        FUNCTIONS.put("or", args -> {
            throw new IllegalStateException("or is evaluated by the executor");
        });
        FUNCTIONS.put("not", args -> !truth(one("not", args)));
        FUNCTIONS.put("len", args -> (long) length(one("len", args)));
        FUNCTIONS.put("index", TemplateFunctions::index);
        FUNCTIONS.put("print", args -> sprint(args, false));
        FUNCTIONS.put("println", args -> sprint(args, true) + "\n");
        FUNCTIONS.put("printf", args -> {
            atLeast("printf", args, 1);
            return Printf.format(string(args.get(0)), args.subList(1, args.size()));
        });
        FUNCTIONS.put("eq", args -> {
            atLeast("eq", args, 2);
            for (Object other : args.subList(1, args.size())) {
                if (same(args.get(0), other)) {
                    return true;
                }
            }
            return false;
        });
        FUNCTIONS.put("ne", args -> !same(two("ne", args).get(0), args.get(1)));
        FUNCTIONS.put("lt", args -> compare("lt", args) < 0);
        FUNCTIONS.put("le", args -> compare("le", args) <= 0);
        FUNCTIONS.put("gt", args -> compare("gt", args) > 0);
        FUNCTIONS.put("ge", args -> compare("ge", args) >= 0);

        // sprig
        FUNCTIONS.put("default", args -> {
            atLeast("default", args, 1);
            return args.size() < 2 || empty(args.get(1)) ? args.get(0) : args.get(1);
        });
        FUNCTIONS.put("empty", args -> empty(one("empty", args)));
        FUNCTIONS.put("coalesce", args -> args.stream().filter(a -> !empty(a)).findFirst().orElse(null));
        FUNCTIONS.put("ternary", args -> {
            exactly("ternary", args, 3);
            return truth(args.get(2)) ? args.get(0) : args.get(1);
        });
        FUNCTIONS.put("required", args -> {
            exactly("required", args, 2);
            Object value = args.get(1);
            if (value == null || "".equals(value)) {
                throw new FunctionError(string(args.get(0)));
            }
            return value;
        });
        FUNCTIONS.put("fail", args -> {
            throw new FunctionError(string(one("fail", args)));
        });
        FUNCTIONS.put("quote", args -> joinNonNull(args, GoFormat::quote));
        FUNCTIONS.put("squote", args -> joinNonNull(args, s -> "'" + s + "'"));
        FUNCTIONS.put("upper", args -> string(one("upper", args)).toUpperCase());
        FUNCTIONS.put("lower", args -> string(one("lower", args)).toLowerCase());
        FUNCTIONS.put("title", args -> title(string(one("title", args))));
        FUNCTIONS.put("trim", args -> string(one("trim", args)).strip());
        FUNCTIONS.put("trimPrefix", args -> {
            String prefix = string(two("trimPrefix", args).get(0));
            String s = string(args.get(1));
            return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
        });
        FUNCTIONS.put("trimSuffix", args -> {
            String suffix = string(two("trimSuffix", args).get(0));
            String s = string(args.get(1));
            return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
        });
        FUNCTIONS.put("replace", args -> {
            exactly("replace", args, 3);
            return string(args.get(2)).replace(string(args.get(0)), string(args.get(1)));
        });
        FUNCTIONS.put("contains", args -> string(two("contains", args).get(1)).contains(string(args.get(0))));
        FUNCTIONS.put("hasPrefix", args -> string(two("hasPrefix", args).get(1)).startsWith(string(args.get(0))));
        FUNCTIONS.put("hasSuffix", args -> string(two("hasSuffix", args).get(1)).endsWith(string(args.get(0))));
        FUNCTIONS.put("indent", args -> indent(two("indent", args)));
        FUNCTIONS.put("nindent", args -> "\n" + indent(two("nindent", args)));
        FUNCTIONS.put("toString", args -> strval(one("toString", args)));
        FUNCTIONS.put("toJson", args -> GoFormat.json(one("toJson", args)));
        FUNCTIONS.put("toYaml", args -> {
            String yaml = Yaml.dump(one("toYaml", args));
            return yaml.endsWith("\n") ? yaml.substring(0, yaml.length() - 1) : yaml;
        });
        FUNCTIONS.put("b64enc", args -> Base64.getEncoder()
                .encodeToString(strval(one("b64enc", args)).getBytes(StandardCharsets.UTF_8)));
        FUNCTIONS.put("b64dec", args -> {
            try {
                return new String(Base64.getDecoder().decode(strval(one("b64dec", args))), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        FUNCTIONS.put("hasKey", args -> {
            exactly("hasKey", args, 2);
            if (!(args.get(0) instanceof Map<?, ?> m)) {
                throw new FunctionError("wrong type for value; expected map[string]interface {}; got "
                        + typeName(args.get(0)));
            }
            return m.containsKey(string(args.get(1)));
        });
        FUNCTIONS.put("get", args -> {
            exactly("get", args, 2);
            if (!(args.get(0) instanceof Map<?, ?> m)) {
                throw new FunctionError("wrong type for value; expected map[string]interface {}; got "
                        + typeName(args.get(0)));
            }
            Object value = m.get(string(args.get(1)));
            return value == null && !m.containsKey(string(args.get(1))) ? "" : value;
        });
        FUNCTIONS.put("list", ArrayList::new);
        FUNCTIONS.put("dict", args -> {
            Map<String, Object> dict = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i += 2) {
                dict.put(strval(args.get(i)), i + 1 < args.size() ? args.get(i + 1) : "");
            }
            return dict;
        });
        FUNCTIONS.put("join", args -> {
            String sep = string(two("join", args).get(0));
            List<String> parts = new ArrayList<>();
            if (args.get(1) instanceof Collection<?> c) {
                c.stream().filter(e -> e != null).forEach(e -> parts.add(strval(e)));
            } else if (args.get(1) != null) {
                parts.add(strval(args.get(1)));
            }
            return String.join(sep, parts);
        });
        FUNCTIONS.put("splitList", args -> {
            String sep = string(two("splitList", args).get(0));
            return new ArrayList<Object>(List.of(string(args.get(1)).split(java.util.regex.Pattern.quote(sep), -1)));
        });
        FUNCTIONS.put("int", args -> toLong(one("int", args)));
        FUNCTIONS.put("int64", args -> toLong(one("int64", args)));
        FUNCTIONS.put("float64", args -> toDouble(one("float64", args)));
        FUNCTIONS.put("atoi", args -> {
            try {
                return Long.parseLong(string(one("atoi", args)));
            } catch (NumberFormatException e) {
                return 0L;
            }
        });
        FUNCTIONS.put("add", args -> args.stream().mapToLong(TemplateFunctions::toLong).sum());
        FUNCTIONS.put("sub", args -> toLong(two("sub", args).get(0)) - toLong(args.get(1)));
        FUNCTIONS.put("mul", args -> args.stream().mapToLong(TemplateFunctions::toLong).reduce(1, (a, b) -> a * b));
        FUNCTIONS.put("div", args -> {
            long divisor = toLong(two("div", args).get(1));
            if (divisor == 0) {
                throw new FunctionError("integer divide by zero");
            }
            return toLong(args.get(0)) / divisor;
        });
    }

    private TemplateFunctions() {
    }

    static Set<String> names() {
        return FUNCTIONS.keySet();
    }

    static Object call(String name, List<Object> args) {
        return FUNCTIONS.get(name).apply(args);
    }

    /** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
    static boolean truth(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** sprig's empty: the same values Go treats as false. */
    static boolean empty(Object v) {
        return !truth(v);
    }

    static String typeName(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            return "float64";
        }
        if (v instanceof Number) {
            return "int";
        }
        if (v instanceof Map) {
            return "map[string]interface {}";
        }
        if (v instanceof Collection) {
            return "[]interface {}";
        }
        return v.getClass().getSimpleName();
    }

    /** Arguments typed {@code string} in Go: anything else is a type error. */
    static String string(Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw new FunctionError("wrong type for value; expected string; got " + typeName(v));
    }

    /** sprig's strval: strings as-is, everything else as {@code %v}. */
    static String strval(Object v) {
        return v instanceof String s ? s : GoFormat.sprint(v);
    }

    private static Object one(String name, List<Object> args) {
        exactly(name, args, 1);
        return args.get(0);
    }

    private static List<Object> two(String name, List<Object> args) {
        exactly(name, args, 2);
        return args;
    }

    private static void exactly(String name, List<Object> args, int n) {
        if (args.size() != n) {
            throw new FunctionError("wrong number of args for " + name + ": want " + n + " got " + args.size());
        }
    }

    private static void atLeast(String name, List<Object> args, int n) {
        if (args.size() < n) {
            throw new FunctionError("wrong number of args for " + name + ": want at least " + n + " got "
                    + args.size());
        }
    }

    private static int length(Object v) {
        if (v instanceof String s) {
            return s.length();
        }
        if (v instanceof Collection<?> c) {
            return c.size();
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        throw new FunctionError("len of type " + typeName(v));
    }

    private static Object index(List<Object> args) {
        atLeast("index", args, 1);
        Object item = args.get(0);
        for (Object key : args.subList(1, args.size())) {
            if (item instanceof Map<?, ?> m) {
                item = m.get(key instanceof String ? key : strval(key));
            } else if (item instanceof List<?> l) {
                if (!(key instanceof Number)) {
                    throw new FunctionError("cannot index slice/array with type " + typeName(key));
                }
                long i = ((Number) key).longValue();
                if (i < 0 || i >= l.size()) {
                    throw new FunctionError("index out of range: " + i);
                }
                item = l.get((int) i);
            } else if (item == null) {
                throw new FunctionError("index of untyped nil");
            } else {
                throw new FunctionError("can't index item of type " + typeName(item));
            }
        }
        return item;
    }

    /** Go's fmt.Sprint adds spaces between operands when neither side is a string; Sprintln always does. */
    private static String sprint(List<Object> args, boolean spaceAlways) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0 && (spaceAlways || !(args.get(i) instanceof String) && !(args.get(i - 1) instanceof String))) {
                sb.append(' ');
            }
            sb.append(GoFormat.sprint(args.get(i)));
        }
        return sb.toString();
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return isInteger(x) && isInteger(y) ? toBig(x).equals(toBig(y)) : x.doubleValue() == y.doubleValue();
        }
        if (a == null || b == null) {
            return a == b;
        }
        if (!typeName(a).equals(typeName(b))) {
            throw new FunctionError("incompatible types for comparison");
        }
        return a.equals(b);
    }

    private static int compare(String name, List<Object> args) {
        two(name, args);
        Object a = args.get(0);
        Object b = args.get(1);
        if (a instanceof Number x && b instanceof Number y) {
            return isInteger(x) && isInteger(y) ? toBig(x).compareTo(toBig(y))
                    : Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        throw new FunctionError("incompatible types for comparison");
    }

    private static boolean isInteger(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger;
    }

    private static BigInteger toBig(Number n) {
        return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
    }

    static long toLong(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return (long) Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return 0;
    }

    private static double toDouble(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return v instanceof Boolean b && b ? 1 : 0;
    }

    private static String joinNonNull(List<Object> args, Function<String, String> each) {
        List<String> parts = new ArrayList<>();
        for (Object a : args) {
            if (a != null) {
                parts.add(each.apply(strval(a)));
            }
        }
        return String.join(" ", parts);
    }

    private static String indent(List<Object> args) {
        String pad = " ".repeat((int) toLong(args.get(0)));
        return pad + string(args.get(1)).replace("\n", "\n" + pad);
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean start = true;
        for (char c : s.toCharArray()) {
            sb.append(start ? Character.toTitleCase(c) : c);
            start = Character.isWhitespace(c);
        }
        return sb.toString();
    }
}

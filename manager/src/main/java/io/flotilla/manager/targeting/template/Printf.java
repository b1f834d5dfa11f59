package io.flotilla.manager.targeting.template;

import java.util.List;
import java.util.Locale;

/** Go's {@code fmt.Sprintf} for the common verbs: %s %v %d %q %f %t %x %%, with flags, width and precision. */
final class Printf {

    private Printf() {
    }

    static String format(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int argIndex = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int specStart = i;
            while (i < format.length() && "+-# 0123456789.".indexOf(format.charAt(i)) >= 0) {
                i++;
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            String spec = format.substring(specStart, i);
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argIndex >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            out.append(verb(verb, spec, args.get(argIndex++)));
        }
        if (argIndex < args.size()) {
            out.append("%!(EXTRA ");
            for (int a = argIndex; a < args.size(); a++) {
                out.append(a > argIndex ? ", " : "").append(TemplateFunctions.typeName(args.get(a))).append('=')
                        .append(GoFormat.sprint(args.get(a)));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String verb(char verb, String spec, Object arg) {
        String flags = spec.replaceAll("[0-9.].*$", "");
        String widthPrecision = spec.substring(flags.length());
        switch (verb) {
            case 'v', 's' -> {
                return String.format(Locale.ROOT, "%" + flags.replace("0", "") + widthPrecision + "s",
                        arg == null && verb == 'v' ? "<nil>" : GoFormat.sprint(arg));
            }
            case 'q' -> {
                return pad(GoFormat.quote(TemplateFunctions.strval(arg)), spec);
            }
            case 'd' -> {
                if (arg instanceof Long || arg instanceof Integer || arg instanceof Short
                        || arg instanceof java.math.BigInteger) {
                    return String.format(Locale.ROOT, "%" + spec + "d", arg);
                }
                return bad(verb, arg);
            }
            case 'f', 'F', 'e', 'g' -> {
                if (arg instanceof Number n) {
                    return String.format(Locale.ROOT, "%" + (spec.contains(".") ? spec : spec + ".6")
                            + (verb == 'F' ? 'f' : verb), n.doubleValue());
                }
                return bad(verb, arg);
            }
            case 't' -> {
                return arg instanceof Boolean ? pad(arg.toString(), spec) : bad(verb, arg);
            }
            case 'x', 'X' -> {
                if (arg instanceof Number n) {
                    return String.format(Locale.ROOT, "%" + spec + verb, n.longValue());
                }
                if (arg instanceof String s) {
                    StringBuilder hex = new StringBuilder();
                    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                        hex.append(String.format(verb == 'x' ? "%02x" : "%02X", b));
                    }
                    return pad(hex.toString(), spec);
                }
                return bad(verb, arg);
            }
            default -> {
                return bad(verb, arg);
            }
        }
    }

    private static String pad(String s, String spec) {
        String width = spec.replaceAll("[^0-9].*$|^[^1-9]*", "");
        if (width.isEmpty()) {
            return s;
        }
        return String.format(Locale.ROOT, "%" + (spec.startsWith("-") ? "-" : "") + width + "s", s);
    }

    private static String bad(char verb, Object arg) {
        return "%!" + verb + "(" + TemplateFunctions.typeName(arg) + "=" + GoFormat.sprint(arg) + ")";
    }
}

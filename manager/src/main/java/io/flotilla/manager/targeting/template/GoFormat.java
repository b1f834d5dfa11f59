package io.flotilla.manager.targeting.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Go's {@code fmt} and {@code encoding/json} rendering of plain values (maps, lists, strings, numbers, booleans). */
final class GoFormat {

    private GoFormat() {
    }

    /** {@code fmt.Sprint(v)}, i.e. the {@code %v} verb. */
    static String sprint(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Double || v instanceof Float) {
            return formatFloatG(((Number) v).doubleValue());
        }
        if (v instanceof BigDecimal d) {
            return formatFloatG(d.doubleValue());
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<String, Object> e : sortedEntries(m)) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                sb.append(e.getKey()).append(':').append(sprint(e.getValue()));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(e -> parts.add(sprint(e)));
            return "[" + String.join(" ", parts) + "]";
        }
        return String.valueOf(v);
    }

    static Iterable<Map.Entry<String, Object>> sortedEntries(Map<?, ?> m) {
        TreeMap<String, Object> sorted = new TreeMap<>();
        m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
        return sorted.entrySet();
    }

    /** {@code strconv.FormatFloat(f, 'g', -1, 64)}, which is what {@code %v} prints for a float64. */
    static String formatFloatG(double f) {
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        if (f == 0) {
            return (1 / f < 0) ? "-0" : "0";
        }
        Decimal d = Decimal.of(f);
        int exp = d.pointPosition - 1;
        if (exp < -4 || exp >= 6) {
            return d.sign + scientific(d.digits, exp);
        }
        return d.sign + plain(d.digits, d.pointPosition);
    }

    /** Go's JSON number form: plain unless the exponent is below -6 or at least 21. */
    private static String formatFloatJson(double f) {
        if (f == 0) {
            return "0";
        }
        Decimal d = Decimal.of(f);
        int exp = d.pointPosition - 1;
        if (exp < -6 || exp >= 21) {
            return d.sign + scientific(d.digits, exp).replace("e-0", "e-").replace("e+0", "e+");
        }
        return d.sign + plain(d.digits, d.pointPosition);
    }

    private static String scientific(String digits, int exp) {
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String e = String.valueOf(Math.abs(exp));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    private static String plain(String digits, int pointPosition) {
        if (pointPosition <= 0) {
            return "0." + "0".repeat(-pointPosition) + digits;
        }
        if (pointPosition >= digits.length()) {
            return digits + "0".repeat(pointPosition - digits.length());
        }
        return digits.substring(0, pointPosition) + "." + digits.substring(pointPosition);
    }

    /** Shortest decimal digits of a finite non-zero double, with the position of the decimal point. */
    private record Decimal(String sign, String digits, int pointPosition) {
        static Decimal of(double f) {
            BigDecimal bd = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
            String digits = bd.unscaledValue().toString();
            return new Decimal(f < 0 ? "-" : "", digits, digits.length() - bd.scale());
        }
    }

    /** {@code strconv.Quote}: a double-quoted Go string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x07 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case 0x0b -> sb.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (!Character.isDefined(cp) || Character.getType(cp) == Character.FORMAT) {
                        sb.append(cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    /** {@code encoding/json.Marshal}: sorted map keys, HTML-safe escaping. */
    static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        writeJson(sb, v);
        return sb.toString();
    }

    private static void writeJson(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            jsonString(sb, s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte || v instanceof BigInteger) {
            sb.append(v);
        } else if (v instanceof Number n) {
            sb.append(formatFloatJson(n.doubleValue()));
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sortedEntries(m)) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                jsonString(sb, e.getKey());
                sb.append(':');
                writeJson(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object e : c) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeJson(sb, e);
            }
            sb.append(']');
        } else {
            jsonString(sb, v.toString());
        }
    }

    private static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}

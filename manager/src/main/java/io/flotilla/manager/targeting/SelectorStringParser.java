package io.flotilla.manager.targeting;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Parser for the Kubernetes string form of a label selector ({@code a=b,c!=d,e in (f,g),h,!i}). */
final class SelectorStringParser {

    private final String text;
    private int pos;

    private SelectorStringParser(String text) {
        this.text = text;
    }

    static List<LabelSelector.Requirement> parse(String text) {
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return requirements;
        }
        SelectorStringParser p = new SelectorStringParser(text);
        while (true) {
            requirements.add(p.requirement());
            p.skipSpaces();
            if (p.atEnd()) {
                return requirements;
            }
            p.expect(',');
        }
    }

    private LabelSelector.Requirement requirement() {
        skipSpaces();
        if (peek() == '!') {
            pos++;
            String key = word("a key after '!'");
            return LabelSelector.requirement(key, LabelSelector.Operator.DOES_NOT_EXIST, List.of());
        }
        String key = word("a key");
        skipSpaces();
        if (atEnd() || peek() == ',') {
            return LabelSelector.requirement(key, LabelSelector.Operator.EXISTS, List.of());
        }
        if (text.startsWith("==", pos)) {
            pos += 2;
            return LabelSelector.requirement(key, LabelSelector.Operator.IN, List.of(optionalWord()));
        }
        if (text.startsWith("!=", pos)) {
            pos += 2;
            return LabelSelector.requirement(key, LabelSelector.Operator.NOT_IN, List.of(optionalWord()));
        }
        if (peek() == '=') {
            pos++;
            return LabelSelector.requirement(key, LabelSelector.Operator.IN, List.of(optionalWord()));
        }
        int opStart = pos;
        String op = word("an operator");
        LabelSelector.Operator operator = switch (op) {
            case "in" -> LabelSelector.Operator.IN;
            case "notin" -> LabelSelector.Operator.NOT_IN;
            default -> throw error(opStart, "unknown operator \"" + op + "\" after key \"" + key
                    + "\" (expected =, ==, !=, in or notin)");
        };
        return LabelSelector.requirement(key, operator, valueSet());
    }

    private Set<String> valueSet() {
        skipSpaces();
        expect('(');
        Set<String> values = new LinkedHashSet<>();
        while (true) {
            values.add(optionalWord());
            skipSpaces();
            if (peek() == ')') {
                pos++;
                return values;
            }
            expect(',');
        }
    }

    private String optionalWord() {
        skipSpaces();
        int start = pos;
        while (!atEnd() && isWordChar(peek())) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String word(String what) {
        String w = optionalWord();
        if (w.isEmpty()) {
            throw error(pos, "expected " + what);
        }
        return w;
    }

    private static boolean isWordChar(char c) {
        return !Character.isWhitespace(c) && c != ',' && c != '(' && c != ')' && c != '=' && c != '!';
    }

    private void expect(char c) {
        skipSpaces();
        if (atEnd() || peek() != c) {
            throw error(pos, "expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpaces() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return atEnd() ? '\0' : text.charAt(pos);
    }

    private InvalidSelectorException error(int at, String message) {
        return new InvalidSelectorException("invalid label selector \"" + text + "\" at position " + at + ": "
                + message);
    }
}

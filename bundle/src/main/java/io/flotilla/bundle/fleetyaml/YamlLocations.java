package io.flotilla.bundle.fleetyaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field path of a YAML document starts (the key of a mapping entry, the start of a list element),
 * and what kind of value it holds. Built by one streaming pass, so errors found after binding (validation)
 * can still point at a line and column.
 */
final class YamlLocations {

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Location and a short description of the value found at one path. */
    record Entry(int line, int column, String value) {
    }

    private final Map<String, Entry> entries;
    private final boolean empty;
    private final Entry secondDocument;

    private YamlLocations(Map<String, Entry> entries, boolean empty, Entry secondDocument) {
        this.entries = entries;
        this.empty = empty;
        this.secondDocument = secondDocument;
    }

    /** Where a second YAML document starts, or null when the stream holds at most one. */
    Entry secondDocument() {
        return secondDocument;
    }

    /** True when the document has no content, or is a single YAML null or empty scalar (a bare {@code ---}). */
    boolean isEmpty() {
        return empty;
    }

    /**
     * Reads the whole document. Syntax errors and duplicate keys are thrown as {@link SyntaxError} carrying
     * the last path read before the error.
     */
    static YamlLocations scan(String content) throws SyntaxError {
        Map<String, Entry> entries = new HashMap<>();
        String lastPath = "";
        try (JsonParser parser = FACTORY.createParser(content)) {
            JsonToken token = parser.nextToken();
            boolean empty = token == null || token == JsonToken.VALUE_NULL
                    || token == JsonToken.VALUE_STRING && parser.getText().isEmpty();
            Entry secondDocument = null;
            int documents = 0;
            while (token != null) {
                if (startsDocument(parser, token) && ++documents == 2) {
                    JsonLocation at = parser.currentTokenLocation();
                    secondDocument = new Entry(at.getLineNr(), at.getColumnNr(), null);
                }
                String path = visit(parser, token, entries);
                lastPath = path == null ? lastPath : path;
                token = parser.nextToken();
            }
            return new YamlLocations(entries, empty, secondDocument);
        } catch (IOException e) {
            throw new SyntaxError(e, lastPath);
        }
    }

    private static boolean startsDocument(JsonParser parser, JsonToken token) {
        boolean opens = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
        JsonStreamContext context = opens ? parser.getParsingContext().getParent() : parser.getParsingContext();
        return (token.isStructStart() || token.isScalarValue()) && context != null && context.inRoot();
    }

    /** Records the token's path and location; returns the path, or null for tokens without one. */
    private static String visit(JsonParser parser, JsonToken token, Map<String, Entry> entries) {
        JsonLocation at = parser.currentTokenLocation();
        if (token == JsonToken.FIELD_NAME) {
            String path = pathOf(parser.getParsingContext());
            entries.putIfAbsent(path, new Entry(at.getLineNr(), at.getColumnNr(), null));
            return path;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
            return null;
        }
        boolean opens = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
        JsonStreamContext owner = opens ? parser.getParsingContext().getParent() : parser.getParsingContext();
        if (owner == null || owner.inRoot()) {
            return null;
        }
        String path = pathOf(owner);
        String value = describe(parser, token);
        Entry known = entries.get(path);
        if (known == null) {
            entries.put(path, new Entry(at.getLineNr(), at.getColumnNr(), value));
        } else if (known.value() == null) {
            entries.put(path, new Entry(known.line(), known.column(), value));
        }
        return path;
    }

    private static String describe(JsonParser parser, JsonToken token) {
        try {
            return switch (token) {
                case START_OBJECT -> "a mapping";
                case START_ARRAY -> "a list";
                case VALUE_STRING -> "string \"" + abbreviate(parser.getText()) + "\"";
                case VALUE_NUMBER_INT -> "integer " + parser.getText();
                case VALUE_NUMBER_FLOAT -> "number " + parser.getText();
                case VALUE_TRUE, VALUE_FALSE -> "boolean " + parser.getText();
                case VALUE_NULL -> "null";
                default -> token.asString();
            };
        } catch (IOException e) {
            return token.name();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /** Dotted path of a parsing context: {@code a.b[2].c}. */
    static String pathOf(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    /** Location of {@code path}, or of its nearest recorded ancestor; the document start for the root. */
    Entry locate(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Entry entry = entries.get(p);
            if (entry != null) {
                return entry;
            }
            p = parent(p);
        }
        return new Entry(1, 1, null);
    }

    /** The value description recorded exactly at {@code path}, or null. */
    String valueAt(String path) {
        Entry entry = entries.get(path);
        return entry == null ? null : entry.value();
    }

    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }

    /** A YAML syntax error (including a duplicate key) with the path being read when it occurred. */
    static final class SyntaxError extends Exception {
        private final String path;

        SyntaxError(IOException cause, String path) {
            super(cause);
            this.path = path;
        }

        String path() {
            return path;
        }

        IOException ioCause() {
            return (IOException) getCause();
        }
    }
}

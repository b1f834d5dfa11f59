package io.flotilla.bundle.fleetyaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flotilla.bundle.options.IntOrString;
import io.flotilla.bundle.yaml.YamlAliases;
import io.flotilla.bundle.yaml.YamlOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads and writes {@code fleet.yaml}. Stricter than Fleet, which silently ignores unknown keys: unknown fields,
 * wrong scalar types (a number where a string is expected and vice versa), duplicate keys and broken §1.7 rules
 * are {@link FleetYamlException}s that name the file, line, column and field path.
 */
public final class FleetYamlParser {

    public static final String FILE_NAME = "fleet.yaml";
    public static final String FALLBACK_FILE_NAME = "fleet.yml";

    private static final YAMLMapper MAPPER = strictMapper();

    private FleetYamlParser() {
    }

    /** Parses fleet.yaml content; an empty document (or one holding only comments or {@code null}) is all defaults. */
    public static FleetYaml parse(String content, String fileName) throws FleetYamlException {
        YamlLocations locations;
        try {
            locations = YamlLocations.scan(content);
        } catch (YamlLocations.SyntaxError e) {
            throw syntaxError(fileName, e);
        }
        if (locations.secondDocument() != null) {
            YamlLocations.Entry at = locations.secondDocument();
            throw new FleetYamlException(fileName, at.line(), at.column(), "",
                    fileName + " must hold a single YAML document", null);
        }
        if (locations.isEmpty()) {
            return FleetYaml.empty();
        }
        String resolved;
        try {
            // anchors and aliases as Go's decoder (Fleet) reads them; locations stay those of the file as written
            resolved = YamlAliases.resolve(content);
        } catch (YamlAliases.AliasException e) {
            throw new FleetYamlException(fileName, Math.max(1, e.line()), 1, "", e.getMessage(), null);
        }
        FleetYaml fleetYaml;
        try {
            fleetYaml = MAPPER.readValue(resolved, FleetYaml.class);
        } catch (JsonMappingException e) {
            throw mappingError(fileName, locations, e);
        } catch (JsonProcessingException e) {
            throw locatedError(fileName, e.getLocation(), "", "invalid YAML: " + e.getOriginalMessage(), e);
        }
        List<FleetYamlValidator.Violation> violations = FleetYamlValidator.validate(fleetYaml);
        if (!violations.isEmpty()) {
            FleetYamlValidator.Violation first = violations.get(0);
            YamlLocations.Entry at = locations.locate(first.path());
            String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more problems)" : "";
            throw new FleetYamlException(fileName, at.line(), at.column(), first.path(), first.message() + more, null);
        }
        return fleetYaml;
    }

    /** Parses a file; the file name in errors is the file's own name. */
    public static FleetYaml parse(Path file) throws FleetYamlException, IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    /** The bundle directory's {@code fleet.yaml}, else its {@code fleet.yml}, if either exists. */
    public static Optional<Path> find(Path bundleDir) {
        Path primary = bundleDir.resolve(FILE_NAME);
        if (Files.isRegularFile(primary)) {
            return Optional.of(primary);
        }
        Path fallback = bundleDir.resolve(FALLBACK_FILE_NAME);
        return Files.isRegularFile(fallback) ? Optional.of(fallback) : Optional.empty();
    }

    /** Parses the directory's fleet.yaml (or fleet.yml); a directory without one gets all defaults. */
    public static FleetYaml parseDirectory(Path bundleDir) throws FleetYamlException, IOException {
        Optional<Path> file = find(bundleDir);
        return file.isPresent() ? parse(file.get()) : FleetYaml.empty();
    }

    /** Writes a fleet.yaml that parses back to an equal model. */
    public static String toYaml(FleetYaml fleetYaml) {
        try {
            return MAPPER.writeValueAsString(fleetYaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write fleet.yaml: " + e.getOriginalMessage(), e);
        }
    }

    private static YAMLMapper strictMapper() {
        YAMLFactory factory = YamlOutput.factoryBuilder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        YAMLMapper mapper = YAMLMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        // Like Fleet's Go decoding: no silent scalar conversions (e.g. version: 1.10 read as "1.1").
        for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean)) {
            for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                    CoercionInputShape.Boolean, CoercionInputShape.String)) {
                mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
            }
        }
        return mapper;
    }

    private static FleetYamlException syntaxError(String fileName, YamlLocations.SyntaxError e) {
        IOException cause = e.ioCause();
        String message = cause instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : cause.getMessage();
        JsonLocation location = cause instanceof JsonProcessingException jpe ? jpe.getLocation() : null;
        return locatedError(fileName, location, e.path(), "invalid YAML: " + firstLine(message), cause);
    }

    private static FleetYamlException mappingError(String fileName, YamlLocations locations, JsonMappingException e) {
        String path = pathOf(e.getPath());
        YamlLocations.Entry at = locations.locate(path);
        String detail;
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = YamlLocations.parent(path);
            detail = "unknown field \"" + u.getPropertyName() + "\" at " + (parent.isEmpty() ? "top level" : parent)
                    + " (known: " + known(u.getKnownPropertyIds()) + ")"
                    + suggestion(u.getPropertyName(), u.getKnownPropertyIds());
        } else {
            String expected = expected(e);
            String got = locations.valueAt(path);
            detail = "wrong type at " + (path.isEmpty() ? "top level" : path) + ": expected " + expected
                    + (got == null ? "" : ", got " + got);
        }
        return new FleetYamlException(fileName, at.line(), at.column(), path, detail, e);
    }

    private static FleetYamlException locatedError(String fileName, JsonLocation location, String path, String detail,
            Throwable cause) {
        int line = location == null || location.getLineNr() < 1 ? 1 : location.getLineNr();
        int column = location == null || location.getColumnNr() < 1 ? 1 : location.getColumnNr();
        return new FleetYamlException(fileName, line, column, path, detail, cause);
    }

    static String pathOf(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(JsonMappingException e) {
        Class<?> target = null;
        if (e instanceof MismatchedInputException m) {
            target = m.getTargetType();
        } else if (e instanceof ValueInstantiationException v && v.getType() != null) {
            target = v.getType().getRawClass();
        }
        if (target == null) {
            return "a valid value (" + firstLine(e.getOriginalMessage()) + ")";
        }
        return describe(target);
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean (true or false)";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == IntOrString.class) {
            return "an integer or a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == Object.class) {
            return "a value";
        }
        return "a mapping";
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    /** A "did you mean" hint for a near-miss (edit distance at most 2). */
    private static String suggestion(String unknown, Collection<Object> ids) {
        if (ids == null) {
            return "";
        }
        String best = null;
        int bestDistance = 3;
        for (Object id : ids) {
            int d = editDistance(unknown.toLowerCase(), String.valueOf(id).toLowerCase());
            if (d < bestDistance) {
                best = String.valueOf(id);
                bestDistance = d;
            }
        }
        return best == null ? "" : "; did you mean \"" + best + "\"?";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

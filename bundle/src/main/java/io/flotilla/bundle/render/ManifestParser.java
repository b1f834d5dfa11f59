package io.flotilla.bundle.render;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flotilla.bundle.yaml.YamlOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Parses manifest files into Kubernetes objects: multi-document YAML (or JSON for {@code *.json}), empty
 * documents skipped, {@code List} kinds flattened into their items. Errors carry the file and line.
 */
final class ManifestParser {

    /** Reads manifests; writes (kustomization.yaml, Helm values) keep every string a string ({@link YamlOutput}). */
    static final ObjectMapper YAML = YAMLMapper.builder(YamlOutput.factory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final String SOURCE_COMMENT = "# Source: ";

    private ManifestParser() {
    }

    /** Objects of one bundle file; {@code file} is its path and picks JSON or YAML by extension. */
    static List<ManifestObject> parseFile(String file, String content) throws RenderException {
        List<ManifestObject> objects = new ArrayList<>();
        for (Document document : documents(file, content, file.endsWith(".json") ? JSON : YAML)) {
            addObjects(file, document.line(), document.value(), objects);
        }
        return objects;
    }

    /**
     * Objects of Helm's rendered output; each is attributed to the template named by the preceding
     * {@code # Source:} comment, or to {@code origin}.
     */
    static List<ManifestObject> parseRendered(String origin, String output) throws RenderException {
        List<String> lines = output.lines().toList();
        List<ManifestObject> objects = new ArrayList<>();
        List<Document> documents;
        try {
            documents = documents(origin, output, YAML);
        } catch (RenderException e) {
            String source = e.line() == null ? origin : sourceAt(lines, e.line(), origin);
            throw RenderException.inFile(source, null, "rendered output is not valid YAML: " + e.detail(), e);
        }
        for (Document document : documents) {
            addObjects(sourceAt(lines, document.line(), origin), null, document.value(), objects);
        }
        return objects;
    }

    /** One YAML document of a single-document file (as {@code _patch} targets and values files are). */
    static Object parseSingle(String file, String content) throws RenderException {
        List<Document> documents = documents(file, content, file.endsWith(".json") ? JSON : YAML);
        if (documents.size() > 1) {
            throw RenderException.inFile(file, documents.get(1).line(), "expected a single YAML document, found "
                    + documents.size());
        }
        return documents.isEmpty() ? null : documents.get(0).value();
    }

    private record Document(Integer line, Object value) {
    }

    private static List<Document> documents(String file, String content, ObjectMapper mapper) throws RenderException {
        List<Document> documents = new ArrayList<>();
        // one value per document; a MappingIterator would unwrap a document that is a list
        try (JsonParser parser = mapper.createParser(content)) {
            while (parser.nextToken() != null) {
                JsonLocation start = parser.currentTokenLocation();
                Object value = mapper.readValue(parser, Object.class);
                if (value != null) {
                    documents.add(new Document(lineOf(start), value));
                }
            }
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                // the scanner's mark is where the problem is; the parser's location can be a token earlier
                String context = yaml.getContext() == null ? "" : yaml.getContext()
                        + (yaml.getContextMark() == null ? "" : " started at line " + (yaml.getContextMark().getLine() + 1))
                        + ": ";
                throw RenderException.inFile(file, yaml.getProblemMark().getLine() + 1, context + yaml.getProblem(), e);
            }
            throw RenderException.inFile(file, lineOf(e.getLocation()), e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw RenderException.inFile(file, null, e.getMessage(), e);
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static void addObjects(String file, Integer line, Object value, List<ManifestObject> out)
            throws RenderException {
        if (!(value instanceof Map<?, ?> map)) {
            throw RenderException.inFile(file, line, "expected a Kubernetes object (a mapping), found "
                    + (value instanceof List ? "a list" : "a scalar"));
        }
        Object kind = map.get("kind");
        if (!(kind instanceof String k) || k.isEmpty()) {
            throw RenderException.inFile(file, line, "not a Kubernetes object: \"kind\" is missing");
        }
        if (k.endsWith("List") && map.get("items") instanceof List<?> items) {
            for (Object item : items) {
                addObjects(file, line, item, out);
            }
            return;
        }
        if (!(map.get("apiVersion") instanceof String v) || v.isEmpty()) {
            throw RenderException.inFile(file, line, "not a Kubernetes object: \"apiVersion\" is missing (kind " + k + ")");
        }
        out.add(new ManifestObject(file, new LinkedHashMap<>((Map<String, Object>) map)));
    }

    private static String sourceAt(List<String> lines, int line, String fallback) {
        for (int i = Math.min(line, lines.size()) - 1; i >= 0; i--) {
            String text = lines.get(i);
            if (text.startsWith(SOURCE_COMMENT)) {
                return text.substring(SOURCE_COMMENT.length()).strip();
            }
        }
        return fallback;
    }

    private static Integer lineOf(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? null : location.getLineNr();
    }
}

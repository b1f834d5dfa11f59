package io.flotilla.manager.targeting.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.flotilla.bundle.yaml.YamlOutput;

/**
 * YAML in the shape Go's {@code sigs.k8s.io/yaml} writes it: sorted keys, no document marker, quotes only where a
 * plain scalar would change type, block sequences not indented under their key.
 */
public final class Yaml {

    private static final YAMLMapper MAPPER = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // a folded line could cut a template action or a string literal in two
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .stringQuotingChecker(new PlainWherePossible())
            .build());

    static {
        MAPPER.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    private Yaml() {
    }

    /**
     * Quotes only strings that would read back as another type (Jackson's check, which misses e.g. {@code 0x1F} and
     * {@code .inf}, plus {@link YamlOutput#readsAsAnotherType}); SnakeYAML's emitter quotes the rest when a plain
     * scalar is impossible. Unlike Jackson's default this keeps {@code ${ .ClusterName }} plain, as Go does, so a
     * rendered template can turn into a number or a structure.
     */
    private static final class PlainWherePossible extends StringQuotingChecker.Default {
        @Override
        public boolean needToQuoteValue(String value) {
            return isReservedKeyword(value) || looksLikeYAMLNumber(value) || YamlOutput.readsAsAnotherType(value);
        }

        @Override
        public boolean needToQuoteName(String name) {
            return super.needToQuoteName(name) || YamlOutput.readsAsAnotherType(name);
        }
    }

    /** Serialises plain maps, lists and scalars. */
    public static String dump(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new TemplateException("cannot serialise to YAML: " + e.getOriginalMessage());
        }
    }

    /** Parses one YAML document into plain maps, lists and scalars; an empty document gives null. */
    public static Object load(String yaml) {
        try {
            return MAPPER.readValue(yaml, Object.class);
        } catch (JsonProcessingException e) {
            throw new TemplateException("cannot parse YAML: " + e.getOriginalMessage());
        }
    }
}

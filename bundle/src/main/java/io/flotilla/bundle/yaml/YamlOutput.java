package io.flotilla.bundle.yaml;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * How Flotilla writes YAML: quotes only where needed ({@code MINIMIZE_QUOTES}), and a string stays a string for
 * every YAML reader it goes to. Jackson's own check with {@code ALWAYS_QUOTE_NUMBERS_AS_STRINGS} still leaves
 * strings such as {@code 0x1F}, {@code 1_000}, {@code .inf} or {@code 2001-12-14} plain, which YAML 1.1 readers
 * (SnakeYAML, Go's yaml.v2 under kubectl and Helm) read as numbers or timestamps; {@link StringsStayStrings} quotes
 * those too, in values and in keys.
 */
public final class YamlOutput {

    private YamlOutput() {
    }

    /**
     * A factory builder with Flotilla's writing settings; callers may add reading features. Like every
     * {@link YAMLFactory#builder()} (unlike {@code new YAMLFactory()}) it leaves
     * {@link YAMLParser.Feature#EMPTY_STRING_AS_NULL} off: see {@link #factory()}.
     */
    public static YAMLFactoryBuilder factoryBuilder() {
        return YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .stringQuotingChecker(new StringsStayStrings());
    }

    /**
     * The factory of {@link #factoryBuilder()}, reading as {@code new YAMLFactory()} does: an empty scalar (an
     * empty document, {@code key:}) is null.
     */
    public static YAMLFactory factory() {
        return factoryBuilder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();
    }

    /**
     * Whether {@code text}, written as a plain scalar, would be read back as something other than a string by
     * a YAML 1.1 or 1.2 reader: null, a boolean, an integer, a float, a timestamp or a merge key.
     */
    public static boolean readsAsAnotherType(String text) {
        if (text.isEmpty() || GO_YAML_SPECIALS.contains(text)) {
            return true;
        }
        if (RESOLVER.resolve(NodeId.scalar, text, true) != Tag.STR) {
            return true;
        }
        // Go's yaml.v2 drops underscores and then tries strconv.ParseInt(s, 0, 64) (0x, 0o, 0b, leading-0 octal)
        // and a float; YAML 1.2 adds 0o octal.
        String plain = text.replace("_", "");
        return GO_INT.matcher(plain).matches() || GO_FLOAT.matcher(plain).matches();
    }

    /** Jackson's quoting rules, plus every string that {@link #readsAsAnotherType reads as another type}. */
    public static class StringsStayStrings extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteName(String name) {
            return super.needToQuoteName(name) || readsAsAnotherType(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || readsAsAnotherType(value);
        }
    }

    /** SnakeYAML's YAML 1.1 implicit types (bool, int, float incl. base 60, null, timestamp, merge). */
    private static final Resolver RESOLVER = new Resolver();
    /** yaml.v2's table of words it resolves to booleans, null and special floats, beyond SnakeYAML's. */
    private static final Set<String> GO_YAML_SPECIALS = Set.of("y", "Y", "n", "N", "~", "<<",
            ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN");
    private static final Pattern GO_INT = Pattern.compile("[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)");
    private static final Pattern GO_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
}

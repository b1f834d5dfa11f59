package io.flotilla.bundle.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** Strings written as YAML read back as the same strings, as values and as keys; other strings stay unquoted. */
class YamlOutputTest {

    private static final ObjectMapper WRITER = new ObjectMapper(YamlOutput.factory());

    private static String yaml(Object value) throws Exception {
        return WRITER.writeValueAsString(value);
    }

    /** Each of these, unquoted, is read as another type by SnakeYAML (YAML 1.1), Go's yaml.v2 or YAML 1.2. */
    @ParameterizedTest(name = "value \"{0}\"")
    @ValueSource(strings = {
        "1", "0", "-1", "+1", "012", "08", "1.5", ".5", "1.", "-2.5", "1e3", "1E3", "1e+3", "-1e-3", "6.8523015e+5",
        "0x1F", "0X1f", "-0x1F", "0o17", "0O17", "0b101", "-0b101", "1_000", "0x_1F", "190:20:30", "1:20", "190:20:30.15",
        ".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN",
        "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO",
        "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
        "null", "Null", "NULL", "~", "",
        "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "<<"})
    void typedLookingStringsAreQuotedAndReadBackAsStrings(String text) throws Exception {
        String asValue = yaml(Map.of("k", text));
        assertThat(asValue).as("quoted value").matches("(?s)k: (\"[^\"]*\"|'[^']*')\\n");
        assertThat(new Yaml().<Map<String, Object>>load(asValue)).as(asValue).containsEntry("k", text);
        assertThat(YamlOutput.readsAsAnotherType(text)).isTrue();
        if (!text.isEmpty()) {
            String asKey = yaml(Map.of(text, "v"));
            assertThat(asKey).as("quoted key").matches("(?s)(\"[^\"]*\"|'[^']*'): v\\n");
            Map<Object, Object> read = new Yaml().load(asKey);
            assertThat(read.keySet()).as(asKey).containsExactly(text);
        }
    }

    @ParameterizedTest(name = "plain \"{0}\"")
    @ValueSource(strings = {"hello", "v1", "nginx:1.25", "1.2.3", "app-1", "x1", "yes-please", "0xZZ"})
    void otherStringsStayPlain(String text) throws Exception {
        String out = yaml(Map.of("k", text));
        assertThat(out).isEqualTo("k: " + text + "\n");
        assertThat(new Yaml().<Map<String, Object>>load(out)).containsEntry("k", text);
        assertThat(YamlOutput.readsAsAnotherType(text)).isFalse();
    }

    @ParameterizedTest(name = "number {0}")
    @ValueSource(ints = {1, 0, -7})
    void numbersStayNumbers(int n) throws Exception {
        assertThat(yaml(Map.of("k", n))).isEqualTo("k: " + n + "\n");
        assertThat(yaml(Map.of("k", true))).isEqualTo("k: true\n");
    }

    @org.junit.jupiter.api.Test
    void configMapDataStaysStrings() throws Exception {
        var cm = new java.util.LinkedHashMap<String, Object>();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        cm.put("metadata", Map.of("name", "x"));
        cm.put("data", Map.of("a", "1"));
        String out = yaml(cm);
        assertThat(out).contains("a: \"1\"");
        Map<String, Object> read = new Yaml().load(out);
        assertThat(read.get("data")).isEqualTo(Map.of("a", "1"));
    }

    @org.junit.jupiter.api.Test
    void factoryReadsAnEmptyScalarAsNullAsNewYamlFactoryDoes() throws Exception {
        assertThat(WRITER.readTree("k:\n").get("k").isNull()).isTrue();
        assertThat(WRITER.readValue("k: ''\n", Map.class)).containsEntry("k", "");
    }
}

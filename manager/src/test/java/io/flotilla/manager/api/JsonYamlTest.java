package io.flotilla.manager.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.targeting.template.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Json#YAML} (what {@code flotilla get/test/target -o yaml} print) and the template {@code toYaml} keep
 * strings strings: each round-trips through a YAML 1.1 parser (SnakeYAML) as the same string, as a value and as a key.
 */
class JsonYamlTest {

    private static Object snake(String yaml) {
        return new org.yaml.snakeyaml.Yaml().load(yaml);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"1", "0", "-1", "012", "1.5", "1e3", "0x1F", "0o17", "0b101", "1_000", "1:20", ".inf",
            ".nan", "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "", "2001-12-14", "<<"})
    void stringsStayStrings(String text) throws Exception {
        ObjectNode object = Json.object();
        object.put("k", text);
        object.putObject("data").put(text.isEmpty() ? "empty" : text, "v");
        String cli = Json.YAML.writeValueAsString(object);
        Map<?, ?> read = (Map<?, ?>) snake(cli);
        assertThat(read.get("k")).as(cli).isEqualTo(text);
        assertThat(read.get("data")).as(cli).isEqualTo(Map.of(text.isEmpty() ? "empty" : text, "v"));
        JsonNode back = Json.YAML.readTree(cli);
        assertThat(back.path("k").isTextual()).as(cli).isTrue();

        String template = Yaml.dump(Map.of("k", text, "data", Map.of(text.isEmpty() ? "empty" : text, "v")));
        Map<?, ?> readTemplate = (Map<?, ?>) snake(template);
        assertThat(readTemplate.get("k")).as(template).isEqualTo(text);
        assertThat(readTemplate.get("data")).as(template).isEqualTo(Map.of(text.isEmpty() ? "empty" : text, "v"));
    }

    @Test
    void configMapDataOfNumberLikeStringsIsQuoted() throws Exception {
        JsonNode cm = Json.MAPPER.readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"},"
                + "\"data\":{\"a\":\"1\",\"b\":\"true\",\"c\":\"plain\"},\"spec\":{\"replicas\":3,\"paused\":false}}");
        String yaml = Json.YAML.writeValueAsString(cm);
        assertThat(yaml).contains("a: \"1\"", "b: \"true\"", "c: plain", "replicas: 3", "paused: false");
    }
}

package io.flotilla.manager.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValuesRedactionTest {

    private static ObjectNode parse(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    @Test
    void bundleValuesOfSpecAndTargetsBecomeAHash() throws Exception {
        ObjectNode bundle = parse("{\"kind\":\"Bundle\",\"spec\":{\"helm\":{\"chart\":\"c\",\"values\":{\"p\":\"secret-1\"}},"
                + "\"targets\":[{\"name\":\"a\",\"helm\":{\"values\":{\"t\":\"secret-2\"}}},{\"name\":\"b\"}]}}");
        ObjectNode shown = ValuesRedaction.redact(bundle);
        assertThat(shown.toString()).doesNotContain("secret-").contains("\"chart\":\"c\"");
        assertThat(shown.path("spec").path("valuesHash").asText()).hasSize(64);
        assertThat(bundle.toString()).contains("secret-1", "secret-2"); // the stored object is not touched

        ObjectNode changed = parse(bundle.toString().replace("secret-2", "secret-3"));
        assertThat(ValuesRedaction.redact(changed).path("spec").path("valuesHash"))
                .isNotEqualTo(shown.path("spec").path("valuesHash"));
    }

    @Test
    void bundleDeploymentOptionsAndStagedOptionsLoseTheirValues() throws Exception {
        ObjectNode bd = parse("{\"kind\":\"BundleDeployment\",\"spec\":{\"options\":{\"helm\":{\"values\":{\"p\":\"old\"}}},"
                + "\"stagedOptions\":{\"helm\":{\"values\":{\"p\":\"new\"}}}}}");
        ObjectNode shown = ValuesRedaction.redact(bd);
        assertThat(shown.path("spec").path("options").path("helm").has("values")).isFalse();
        assertThat(shown.path("spec").path("stagedOptions").path("helm").has("values")).isFalse();
        assertThat(shown.path("spec").path("valuesHash").asText()).hasSize(64);
    }

    @Test
    void objectsWithoutValuesAreReturnedAsTheyAre() throws Exception {
        ObjectNode gitRepo = parse("{\"kind\":\"GitRepo\",\"spec\":{\"repo\":\"r\"}}");
        ObjectNode bundle = parse("{\"kind\":\"Bundle\",\"spec\":{\"helm\":{\"chart\":\"c\"},\"targets\":[{\"name\":\"a\"}]}}");
        assertThat(ValuesRedaction.redact(gitRepo)).isSameAs(gitRepo);
        assertThat(ValuesRedaction.redact(bundle)).isSameAs(bundle);
    }
}

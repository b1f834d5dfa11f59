package io.flotilla.bundle.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleTargetJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void optionsAreInlineInTheTargetObject() throws Exception {
        BundleTarget target = json.readValue("""
                {"name":"prod","clusterSelector":{},"doNotDeploy":true,"namespace":"ns",
                 "helm":{"values":{"a":1}},"keepResources":false,"namespaceLabels":{"l":"v"}}""",
                BundleTarget.class);

        assertThat(target.name()).isEqualTo("prod");
        assertThat(target.clusterSelector()).isEqualTo(LabelSelectorSpec.everything());
        assertThat(target.clusterGroupSelector()).isNull();
        assertThat(target.doNotDeploy()).isTrue();
        assertThat(target.namespaceLabels()).isEqualTo(Map.of("l", "v"));
        assertThat(target.options().namespace()).isEqualTo("ns");
        assertThat(target.options().keepResources()).isFalse();
        assertThat(target.options().helm().values()).isEqualTo(Map.of("a", 1));
        assertThat(target.options().namespaceLabels()).isNull();
    }

    @Test
    void writesFlatJsonAndReadsItBack() throws Exception {
        BundleTarget target = new BundleTarget("t", "c", null, "g", LabelSelectorSpec.everything(), false,
                Map.of("l", "v"), null, BundleDeploymentOptions.builder().defaultNamespace("d")
                .helm(HelmOptions.builder().chart("x").build()).build());

        String written = json.writeValueAsString(target);

        assertThat(written).isEqualTo("{\"name\":\"t\",\"clusterName\":\"c\",\"clusterGroup\":\"g\","
                + "\"clusterGroupSelector\":{},\"namespaceLabels\":{\"l\":\"v\"},\"defaultNamespace\":\"d\","
                + "\"helm\":{\"chart\":\"x\"}}");
        assertThat(json.readValue(written, BundleTarget.class)).isEqualTo(target);
    }

    @Test
    void optionNamespaceLabelsAreShadowedByTheTargetField() throws Exception {
        BundleTarget target = new BundleTarget("t", null, null, null, null, false, null, null,
                BundleDeploymentOptions.builder().namespaceLabels(Map.of("inner", "x")).build());

        assertThat(json.writeValueAsString(target)).isEqualTo("{\"name\":\"t\"}");
    }

    @Test
    void unknownTargetFieldsAreRejected() {
        assertThatThrownBy(() -> json.readValue("{\"name\":\"t\",\"doNotDeplo\":true}", BundleTarget.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void matcherAndOfAreInverse() {
        GitTarget git = new GitTarget("n", "c", LabelSelectorSpec.ofLabels(Map.of("a", "b")), "g", null);

        assertThat(BundleTarget.of(git).matcher()).isEqualTo(git);
        assertThat(BundleTarget.of(git).options()).isEqualTo(BundleDeploymentOptions.empty());
    }
}

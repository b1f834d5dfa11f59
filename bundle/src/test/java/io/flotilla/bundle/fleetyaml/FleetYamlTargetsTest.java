package io.flotilla.bundle.fleetyaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.bundle.options.BundleTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetYamlTargetsTest {

    @Test
    void targetsComeBeforeCustomizationsAndUnnamedOnesAreNamedByIndex() throws Exception {
        FleetYaml f = FleetYamlParser.parse("""
                targets:
                - clusterGroup: g
                - name: explicit
                  clusterName: c
                targetCustomizations:
                - clusterSelector: {}
                - name: ""
                  clusterName: d
                - name: prod
                  clusterName: p
                """, "fleet.yaml");

        List<BundleTarget> customizations = FleetYamlTargets.customizationsOf(f);

        assertThat(customizations).extracting(BundleTarget::name)
                .containsExactly("target000", "explicit", "target002", "target003", "prod");
        assertThat(customizations).extracting(BundleTarget::clusterGroup)
                .containsExactly("g", null, null, null, null);
    }

    @Test
    void rootChartCoordinatesFillHelmBlocksThatLeaveThemEmpty() throws Exception {
        FleetYaml f = FleetYamlParser.parse("""
                helm:
                  repo: https://charts.example.com
                  chart: web
                  version: 1.0.0
                  releaseName: root-release
                targetCustomizations:
                - name: values-only
                  helm:
                    values: {replicas: 3}
                - name: own-version
                  helm:
                    version: 2.0.0
                - name: no-helm
                  namespace: other
                """, "fleet.yaml");

        List<BundleTarget> c = FleetYamlTargets.customizationsOf(f);

        assertThat(c.get(0).options().helm().repo()).isEqualTo("https://charts.example.com");
        assertThat(c.get(0).options().helm().chart()).isEqualTo("web");
        assertThat(c.get(0).options().helm().version()).isEqualTo("1.0.0");
        assertThat(c.get(0).options().helm().releaseName()).as("only repo, chart, version are copied").isNull();
        assertThat(c.get(0).options().helm().values()).containsEntry("replicas", 3);
        assertThat(c.get(1).options().helm().version()).isEqualTo("2.0.0");
        assertThat(c.get(1).options().helm().chart()).isEqualTo("web");
        assertThat(c.get(2).options().helm()).as("no helm block, nothing copied").isNull();
    }

    @Test
    void withoutRootHelmCustomizationsAreUnchanged() throws Exception {
        FleetYaml f = FleetYamlParser.parse("""
                targetCustomizations:
                - name: a
                  helm: {chart: own}
                """, "fleet.yaml");

        assertThat(FleetYamlTargets.customizationsOf(f)).isEqualTo(f.targetCustomizations());
    }

    @Test
    void noTargetsGiveNoCustomizations() {
        assertThat(FleetYamlTargets.customizationsOf(FleetYaml.empty())).isEmpty();
    }
}

package io.flotilla.bundle.fleetyaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.bundle.options.BundleDeploymentOptions.CorrectDrift;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.IntOrString;
import io.flotilla.bundle.options.LabelSelectorRequirement;
import io.flotilla.bundle.options.LabelSelectorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FleetYamlParserTest {

    /** A fleet.yaml using every kind of field, to check parse → write → parse. */
    static final String RICH = """
            name: my-app
            labels:
              team: web
            annotations:
              note: "x"
            defaultNamespace: apps
            namespace: forced
            serviceAccount: deployer
            createNamespace: false
            keepResources: false
            deleteNamespace: true
            deleteCRDResources: true
            forceSyncGeneration: 4
            namespaceLabels:
              tier: frontend
            namespaceAnnotations:
              owner: web
            yaml:
              overlays: [base, extra]
            kustomize:
              dir: overlays/prod
            helm:
              chart: nginx
              repo: https://charts.example.com
              version: "1.10"
              releaseName: my-app.web
              timeoutSeconds: 120
              maxHistory: 5
              force: true
              atomic: false
              skipSchemaValidation: true
              valuesFiles: [values-prod.yaml]
              values:
                replicas: 2
                ratio: 0.5
                empty: null
                image: {repository: nginx, tag: "1.25"}
                hosts: [a.example.com, b.example.com]
                list_of_maps: [{k: v}, {k: w}]
              templateValues:
                cluster: "${ .ClusterName }"
              valuesFrom:
              - configMapKeyRef: {name: cm, namespace: ns, key: values.yaml}
              - secretKeyRef: {name: s, namespace: ns, key: values.yaml}
            diff:
              comparePatches:
              - apiVersion: apps/v1
                kind: Deployment
                name: web
                namespace: apps
                jsonPointers: [/spec/replicas]
                operations:
                - {op: remove, path: /spec/template/metadata/annotations}
            ignore:
              conditions:
              - {type: Progressing, status: "False"}
            correctDrift: {enabled: true, force: true}
            downstreamResources:
            - {kind: Secret, name: creds}
            allowedTargetNamespaceSelector:
              matchLabels: {allowed: "true"}
            paused: true
            rolloutStrategy:
              maxUnavailable: 10%
              maxUnavailablePartitions: 1
              autoPartitionThreshold: 50
              partitions:
              - name: canary
                maxUnavailable: 1
                clusterSelector: {matchLabels: {canary: "true"}}
            dependsOn:
            - name: database
            - selector:
                matchExpressions:
                - {key: app, operator: In, values: [cache, queue]}
              acceptedStates: [Ready, Modified]
            targetCustomizationMode: AllMatches
            targets:
            - clusterGroup: everything
            targetCustomizations:
            - name: prod
              clusterSelector:
                matchLabels: {env: prod}
                matchExpressions:
                - {key: region, operator: NotIn, values: [mars]}
                - {key: gpu, operator: Exists}
              namespaceLabels: {zone: a}
              namespaceAnnotations: {team: b}
              helm:
                values: {replicas: 5}
                disableDNS: false
            - clusterGroupSelector: {}
              doNotDeploy: true
            - clusterName: local
              kustomize: {dir: overlays/local}
              yaml: {overlays: [local]}
            overrideTargets:
            - name: all
              clusterSelector: {}
            imageScans:
            - image: nginx
              tagName: web
              policy: {semver: {range: ">=1.0.0"}}
            """;

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void rejectsInvalidFilesWithLocationAndPath(String problem, String yaml, int line, int column, String path,
            String detail) {
        assertThatThrownBy(() -> FleetYamlParser.parse(yaml, "fleet.yaml"))
                .isInstanceOfSatisfying(FleetYamlException.class, e -> {
                    assertThat(e.fileName()).isEqualTo("fleet.yaml");
                    assertThat(e.fieldPath()).isEqualTo(path);
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isEqualTo(column);
                    assertThat(e.detail()).contains(detail);
                    assertThat(e.getMessage()).startsWith("fleet.yaml:" + line + ":" + column + ": ");
                });
    }

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                arguments("unknown top-level field", lines("namespace: x", "namespce: y"),
                        2, 1, "namespce", "unknown field \"namespce\" at top level"),
                arguments("unknown nested field in a customization", lines(
                        "helm:",
                        "  chart: x",
                        "targetCustomizations:",
                        "- name: a",
                        "  clusterName: c",
                        "- name: b",
                        "  helm:",
                        "    valuez: {}"),
                        8, 5, "targetCustomizations[1].helm.valuez",
                        "unknown field \"valuez\" at targetCustomizations[1].helm (known: atomic, chart, "),
                arguments("doNotDeploy is not a GitTarget field", lines(
                        "overrideTargets:",
                        "- clusterName: a",
                        "  doNotDeploy: true"),
                        3, 3, "overrideTargets[0].doNotDeploy", "unknown field \"doNotDeploy\" at overrideTargets[0]"),
                arguments("unknown selector field", lines(
                        "targets:",
                        "- clusterSelector:",
                        "    matchLabel: {a: b}"),
                        3, 5, "targets[0].clusterSelector.matchLabel", "did you mean \"matchLabels\"?"),
                arguments("string for an integer", lines("helm:", "  timeoutSeconds: abc"),
                        2, 3, "helm.timeoutSeconds", "expected an integer, got string \"abc\""),
                arguments("number for a string (version 1.10 would read as 1.1)", lines("helm:", "  version: 1.10"),
                        2, 3, "helm.version", "expected a string, got number 1.10"),
                arguments("quoted boolean", lines("keepResources: \"true\""),
                        1, 1, "keepResources", "expected a boolean (true or false), got string \"true\""),
                arguments("list for a mapping", lines("defaultNamespace: a", "helm: [1, 2]"),
                        2, 1, "helm", "expected a mapping, got a list"),
                arguments("mapping for a list", lines("targetCustomizations:", "  name: a"),
                        1, 1, "targetCustomizations", "expected a list, got a mapping"),
                arguments("number label value", lines("labels:", "  version: 2"),
                        2, 3, "labels.version", "expected a string, got integer 2"),
                arguments("boolean for IntOrString", lines("rolloutStrategy:", "  maxUnavailable: true"),
                        2, 3, "rolloutStrategy.maxUnavailable", "expected an integer or a string, got boolean true"),
                arguments("bad selector operator", lines(
                        "targetCustomizations:",
                        "- name: a",
                        "  clusterSelector:",
                        "    matchExpressions:",
                        "    - key: env",
                        "      operator: Equals",
                        "      values: [a]"),
                        6, 7, "targetCustomizations[0].clusterSelector.matchExpressions[0].operator",
                        "invalid label selector operator \"Equals\" (valid: In, NotIn, Exists, DoesNotExist)"),
                arguments("In without values", lines(
                        "targets:",
                        "- clusterGroupSelector:",
                        "    matchExpressions:",
                        "    - {key: env, operator: In}"),
                        4, 7, "targets[0].clusterGroupSelector.matchExpressions[0].values",
                        "operator In needs at least one value"),
                arguments("Exists with values", lines(
                        "overrideTargets:",
                        "- clusterSelector:",
                        "    matchExpressions:",
                        "    - key: env",
                        "      operator: Exists",
                        "      values: [a]"),
                        6, 7, "overrideTargets[0].clusterSelector.matchExpressions[0].values",
                        "operator Exists takes no values"),
                arguments("selector requirement without key", lines(
                        "dependsOn:",
                        "- selector:",
                        "    matchExpressions:",
                        "    - {operator: DoesNotExist}"),
                        4, 7, "dependsOn[0].selector.matchExpressions[0].key",
                        "label selector requirement needs a key"),
                arguments("dependsOn without name or selector", lines(
                        "dependsOn:",
                        "- name: ok",
                        "- acceptedStates: [Ready]"),
                        3, 3, "dependsOn[1]", "dependsOn[1]: must specify either 'name' or 'selector'"),
                arguments("dependsOn with an unknown state", lines(
                        "dependsOn:",
                        "- name: db",
                        "  acceptedStates:",
                        "  - Ready",
                        "  - Green"),
                        5, 5, "dependsOn[0].acceptedStates[1]", "invalid accepted state \"Green\""),
                arguments("bad targetCustomizationMode", lines("targetCustomizationMode: Sometimes"),
                        1, 1, "targetCustomizationMode",
                        "invalid targetCustomizationMode \"Sometimes\" (valid: FirstMatch, AllMatches, or empty)"),
                arguments("invalid helm release name", lines(
                        "targetCustomizations:",
                        "- name: a",
                        "  helm:",
                        "    releaseName: My_Release"),
                        4, 5, "targetCustomizations[0].helm.releaseName", "invalid Helm release name \"My_Release\""),
                arguments("bad partition selector", lines(
                        "rolloutStrategy:",
                        "  partitions:",
                        "  - name: p",
                        "    clusterSelector:",
                        "      matchExpressions: [{key: a, operator: in, values: [b]}]"),
                        5, 35, "rolloutStrategy.partitions[0].clusterSelector.matchExpressions[0].operator",
                        "invalid label selector operator \"in\""),
                arguments("YAML syntax error", lines("helm:", "  chart: a: b"),
                        2, 11, "helm.chart", "invalid YAML: mapping values are not allowed here"),
                arguments("duplicate key", lines("name: a", "labels: {}", "name: b"),
                        3, 5, "labels", "invalid YAML: Duplicate field 'name'"),
                arguments("several YAML documents", lines("name: a", "---", "name: b"),
                        3, 1, "", "fleet.yaml must hold a single YAML document"),
                arguments("top level is not a mapping", lines("- a", "- b"),
                        1, 1, "", "wrong type at top level: expected a mapping"));
    }

    @Test
    void messageNamesFileLineColumnFieldAndKnownFields() {
        String yaml = lines("helm:", "  chart: x", "  valuez: {}");

        assertThatThrownBy(() -> FleetYamlParser.parse(yaml, "fleet.yml"))
                .hasMessage("fleet.yml:3:3: unknown field \"valuez\" at helm (known: atomic, chart, disableDNS, "
                        + "disableDependencyUpdate, disablePreProcess, force, maxHistory, releaseName, repo, "
                        + "skipSchemaValidation, takeOwnership, templateValues, timeoutSeconds, values, valuesFiles, "
                        + "valuesFrom, version, waitForJobs); did you mean \"values\"?");
    }

    @Test
    void reportsHowManyMoreValidationProblemsThereAre() {
        String yaml = lines("targetCustomizationMode: X", "dependsOn:", "- acceptedStates: [Nope]");

        assertThatThrownBy(() -> FleetYamlParser.parse(yaml, "fleet.yaml"))
                .isInstanceOf(FleetYamlException.class)
                .hasMessageEndingWith("(and 2 more problems)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n\n", "# only a comment\n", "~\n", "null", "---\n"})
    void emptyDocumentMeansAllDefaults(String content) throws Exception {
        assertThat(FleetYamlParser.parse(content, "fleet.yaml")).isEqualTo(FleetYaml.empty());
    }

    /** Issue 13: an alias was read as the string holding its name ("expected a mapping, got string"). */
    @Test
    void resolvesAnchorsAliasesAndMergeKeysAsFleetDoes() throws Exception {
        String yaml = lines(
                "helm:",
                "  values: &base",
                "    image: {repo: web, tag: \"1.0\"}",
                "    replicas: 1",
                "targetCustomizations:",
                "- name: dev",
                "  clusterSelector: {matchLabels: {env: dev}}",
                "  helm:",
                "    values: *base",
                "- name: prod",
                "  clusterSelector: {matchLabels: {env: prod}}",
                "  helm:",
                "    values:",
                "      <<: *base",
                "      replicas: 3");

        FleetYaml f = FleetYamlParser.parse(yaml, "fleet.yaml");

        Map<String, Object> base = Map.of("image", Map.of("repo", "web", "tag", "1.0"), "replicas", 1);
        assertThat(f.options().helm().values()).isEqualTo(base);
        assertThat(f.targetCustomizations().get(0).options().helm().values()).isEqualTo(base);
        assertThat(f.targetCustomizations().get(1).options().helm().values())
                .isEqualTo(Map.of("image", Map.of("repo", "web", "tag", "1.0"), "replicas", 3));
    }

    @Test
    void refusesABillionLaughsDocumentWithAClearError() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i <= 9; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                yaml.append(j == 0 ? "" : ",").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        String doc = "helm:\n  values:\n" + yaml.toString().indent(4);

        assertThatThrownBy(() -> FleetYamlParser.parse(doc, "fleet.yaml"))
                .isInstanceOf(FleetYamlException.class)
                .hasMessageStartingWith("fleet.yaml:1:1: ")
                .hasMessageContaining("YAML aliases expand to more than 100000 nodes");
    }

    @Test
    void anUnknownAliasIsAnErrorWithItsLine() {
        assertThatThrownBy(() -> FleetYamlParser.parse(lines("helm:", "  values: *nowhere"), "fleet.yaml"))
                .isInstanceOf(FleetYamlException.class)
                .hasMessageStartingWith("fleet.yaml:2:")
                .hasMessageContaining("nowhere");
    }

    @Test
    void readsTheRichSample() throws Exception {
        FleetYaml f = FleetYamlParser.parse(RICH, "fleet.yaml");

        assertThat(f.name()).isEqualTo("my-app");
        assertThat(f.labels()).containsEntry("team", "web");
        assertThat(f.options().keepResources()).isFalse();
        assertThat(f.options().createNamespace()).isFalse();
        assertThat(f.options().namespaceLabels()).containsExactly(Map.entry("tier", "frontend"));
        assertThat(f.options().helm().version()).isEqualTo("1.10");
        assertThat(f.options().helm().atomic()).isFalse();
        assertThat(f.options().helm().values())
                .containsEntry("replicas", 2)
                .containsEntry("ratio", 0.5)
                .containsEntry("empty", null)
                .containsEntry("hosts", List.of("a.example.com", "b.example.com"));
        assertThat(f.options().correctDrift()).isEqualTo(new CorrectDrift(true, true, false));
        assertThat(f.rolloutStrategy().maxUnavailable()).isEqualTo(IntOrString.of("10%"));
        assertThat(f.rolloutStrategy().maxUnavailablePartitions()).isEqualTo(IntOrString.of(1));
        assertThat(f.dependsOn().get(1).selector().matchExpressions())
                .containsExactly(new LabelSelectorRequirement("app", "In", List.of("cache", "queue")));
        assertThat(f.allMatches()).isTrue();
        assertThat(f.targets()).hasSize(1);
        assertThat(f.targetCustomizations()).hasSize(3);
        assertThat(f.overrideTargets()).hasSize(1);
        assertThat(f.imageScans()).hasSize(1);
    }

    @Test
    void targetNamespaceLabelsBelongToTheTargetNotItsOptions() throws Exception {
        BundleTarget prod = FleetYamlParser.parse(RICH, "fleet.yaml").targetCustomizations().get(0);

        assertThat(prod.namespaceLabels()).containsExactly(Map.entry("zone", "a"));
        assertThat(prod.namespaceAnnotations()).containsExactly(Map.entry("team", "b"));
        assertThat(prod.options().namespaceLabels()).isNull();
        assertThat(prod.options().namespaceAnnotations()).isNull();
        assertThat(prod.options().helm().values()).containsExactly(Map.entry("replicas", 5));
        assertThat(prod.options().helm().disableDNS()).isFalse();
    }

    @Test
    void emptySelectorIsSetAndAbsentSelectorIsNot() throws Exception {
        FleetYaml f = FleetYamlParser.parse(RICH, "fleet.yaml");
        BundleTarget groupAll = f.targetCustomizations().get(1);

        assertThat(groupAll.clusterGroupSelector()).isEqualTo(LabelSelectorSpec.everything());
        assertThat(groupAll.clusterSelector()).isNull();
        assertThat(groupAll.doNotDeploy()).isTrue();
        assertThat(f.overrideTargets().get(0).clusterSelector()).isEqualTo(LabelSelectorSpec.everything());
    }

    @Test
    void overrideTargetsAbsentDiffersFromPresentButEmpty() throws Exception {
        FleetYaml absent = FleetYamlParser.parse("namespace: a", "fleet.yaml");
        FleetYaml empty = FleetYamlParser.parse("overrideTargets: []", "fleet.yaml");

        assertThat(absent.overrideTargets()).isNull();
        assertThat(empty.overrideTargets()).isEmpty();
        assertThat(FleetYamlParser.parse(FleetYamlParser.toYaml(empty), "fleet.yaml").overrideTargets()).isEmpty();
        assertThat(FleetYamlParser.parse(FleetYamlParser.toYaml(absent), "fleet.yaml").overrideTargets()).isNull();
    }

    @Test
    void roundTripsTheRichSample() throws Exception {
        FleetYaml parsed = FleetYamlParser.parse(RICH, "fleet.yaml");

        String written = FleetYamlParser.toYaml(parsed);
        FleetYaml reparsed = FleetYamlParser.parse(written, "fleet.yaml");

        assertThat(reparsed).isEqualTo(parsed);
        assertThat(FleetYamlParser.toYaml(reparsed)).isEqualTo(written);
    }

    @Test
    void roundTripsTheEmptyModel() throws Exception {
        assertThat(FleetYamlParser.parse(FleetYamlParser.toYaml(FleetYaml.empty()), "fleet.yaml"))
                .isEqualTo(FleetYaml.empty());
    }

    @Test
    void readsFleetYmlWhenThereIsNoFleetYaml(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("fleet.yml"), "defaultNamespace: from-yml\n");

        assertThat(FleetYamlParser.parseDirectory(dir).options().defaultNamespace()).isEqualTo("from-yml");

        Files.writeString(dir.resolve("fleet.yaml"), "defaultNamespace: from-yaml\n");
        assertThat(FleetYamlParser.parseDirectory(dir).options().defaultNamespace()).isEqualTo("from-yaml");
    }

    @Test
    void directoryWithoutFleetYamlGetsDefaults(@TempDir Path dir) throws Exception {
        assertThat(FleetYamlParser.find(dir)).isEmpty();
        assertThat(FleetYamlParser.parseDirectory(dir)).isEqualTo(FleetYaml.empty());
    }

    @Test
    void errorsFromAFileNameThatFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fleet.yml");
        Files.writeString(file, "helm:\n  chrt: x\n");

        assertThatThrownBy(() -> FleetYamlParser.parse(file))
                .isInstanceOfSatisfying(FleetYamlException.class, e -> {
                    assertThat(e.fileName()).isEqualTo("fleet.yml");
                    assertThat(e.fieldPath()).isEqualTo("helm.chrt");
                    assertThat(e.line()).isEqualTo(2);
                });
    }

    private static String lines(String... lines) {
        return String.join("\n", Arrays.asList(lines)) + "\n";
    }
}

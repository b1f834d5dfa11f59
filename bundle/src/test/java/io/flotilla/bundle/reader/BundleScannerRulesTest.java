package io.flotilla.bundle.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.bundle.fleetyaml.FleetYaml;
import io.flotilla.bundle.options.BundleResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Labels, content ids, encodings, symlinks, limits and the errors of a scan. */
class BundleScannerRulesTest {

    @TempDir
    Path root;

    @TempDir
    Path outside;

    private List<ScannedBundle> scan(ScanRequest request) {
        return BundleScanner.create().scan(request);
    }

    private ScannedBundle only(ScanRequest request) {
        List<ScannedBundle> bundles = scan(request);
        assertThat(bundles).hasSize(1);
        return bundles.get(0);
    }

    @Test
    void labelsAreRepoLabelsThenRepoNameAndCommitThenFleetYamlLabels() {
        Trees.write(root, "fleet.yaml=labels:\n  team: web\n  env: from-fleet-yaml\n", "a.yaml");
        ScannedBundle bundle = only(ScanRequest.of(root, "repo").withCommit("abc123")
                .withRepoLabels(Map.of("env", "from-gitrepo", "owner", "ops")));
        assertThat(bundle.labels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "env", "from-fleet-yaml", "owner", "ops", "team", "web",
                BundleScanner.REPO_NAME_LABEL, "repo", BundleScanner.COMMIT_LABEL, "abc123"));
    }

    @Test
    void withoutCommitThereIsNoCommitLabel() {
        Trees.write(root, "a.yaml");
        assertThat(only(ScanRequest.of(root, "repo")).labels())
                .containsExactly(Map.entry(BundleScanner.REPO_NAME_LABEL, "repo"));
    }

    @Test
    void fleetYamlPathAndContentAreReturned() {
        Trees.write(root, "app/fleet.yml=namespace: x\n", "app/d.yaml");
        ScannedBundle bundle = only(ScanRequest.of(root, "repo"));
        assertThat(bundle.dir()).isEqualTo(Path.of("app"));
        assertThat(bundle.fleetYamlPath()).isEqualTo(Path.of("app/fleet.yml"));
        assertThat(new String(bundle.fleetYamlContent(), StandardCharsets.UTF_8)).isEqualTo("namespace: x\n");
    }

    @Test
    void rootBundleWithoutFleetYamlHasNoOptionsFile() {
        Trees.write(root, "a.yaml");
        ScannedBundle bundle = only(ScanRequest.of(root, "repo"));
        assertThat(bundle.dir()).isEqualTo(Path.of("."));
        assertThat(bundle.fleetYamlPath()).isNull();
        assertThat(bundle.fleetYamlContent()).isNull();
    }

    @Test
    void contentIdIsStableAcrossRunsAndCheckouts() {
        String[] tree = {"fleet.yaml=labels: {a: b}", "a.yaml", "sub/b.yaml=kind: Secret\n"};
        Trees.write(root, tree);
        Trees.write(outside, tree);
        String first = only(ScanRequest.of(root, "repo")).contentId();
        assertThat(first).matches("s-[0-9a-f]{61}");
        assertThat(only(ScanRequest.of(root, "repo")).contentId()).isEqualTo(first);
        assertThat(only(ScanRequest.of(outside, "other-repo").withCommit("c")).contentId()).isEqualTo(first);
    }

    static Stream<Arguments> contentChanges() {
        return Stream.<Arguments>of(
                arguments("file content changes", (Consumer<Path>) r -> Trees.file(r, "a.yaml", "kind: Pod\n")),
                arguments("file added", (Consumer<Path>) r -> Trees.file(r, "c.yaml", "kind: Pod\n")),
                arguments("file renamed", (Consumer<Path>) r -> {
                    Trees.file(r, "renamed.yaml", Trees.MANIFEST);
                    delete(r.resolve("a.yaml"));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contentChanges")
    void contentIdChangesWithContent(String description, Consumer<Path> change) {
        Trees.write(root, "a.yaml", "b.yaml");
        String before = only(ScanRequest.of(root, "repo")).contentId();
        change.accept(root);
        assertThat(only(ScanRequest.of(root, "repo")).contentId()).as(description).isNotEqualTo(before);
    }

    @Test
    void contentIdIgnoresFleetYamlAndLabels() {
        Trees.write(root, "fleet.yaml=labels: {a: b}", "a.yaml");
        String before = only(ScanRequest.of(root, "repo")).contentId();
        Trees.write(root, "fleet.yaml=labels: {a: c}");
        assertThat(only(ScanRequest.of(root, "repo")).contentId()).isEqualTo(before);
    }

    @Test
    void contentIdIsFleetsManifestIdOfTheResources() {
        Trees.write(root, "a.yaml=x: <y> & z\n");
        ScannedBundle bundle = only(ScanRequest.of(root, "repo"));
        assertThat(bundle.resources()).containsExactly(new BundleResource("a.yaml", "x: <y> & z\n", null));
        // sha256 of {"resources":[{"name":"a.yaml","content":"x: \u003cy\u003e \u0026 z\n"}]}\n
        assertThat(bundle.contentId()).isEqualTo("s-93bddca6e83300403be0acf7f1b4df545dff96cb0f7b0aa3d5379daeba26c");
    }

    @Test
    void binaryFilesAreBase64GzAndTextStaysText() {
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80};
        Trees.write(root, "fleet.yaml=", "a.yaml");
        Trees.bytes(root, "logo.png", binary);
        ScannedBundle bundle = only(ScanRequest.of(root, "repo"));
        BundleResource png = bundle.resources().get(1);
        assertThat(png.name()).isEqualTo("logo.png");
        assertThat(png.encoding()).isEqualTo(BundleResource.ENCODING_BASE64_GZ);
        assertThat(ContentEncoding.decode(png)).isEqualTo(binary);
        assertThat(bundle.resources().get(0).encoding()).isNull();
    }

    @Test
    void largeBundlesAreStoredCompressedWhole() {
        byte[] big = new byte[800_000];
        new Random(7).nextBytes(big);
        String text = java.util.Base64.getEncoder().encodeToString(big);
        Trees.write(root, "a.yaml", "big.txt=" + text);
        ScannedBundle bundle = only(ScanRequest.of(root, "repo"));
        assertThat(bundle.resources()).allSatisfy(r ->
                assertThat(r.encoding()).isEqualTo(BundleResource.ENCODING_BASE64_GZ));
        assertThat(new String(ContentEncoding.decode(bundle.resources().get(1)), StandardCharsets.UTF_8))
                .isEqualTo(text);
    }

    @Test
    void symlinksInsideTheBundleAreFollowed() {
        Trees.write(root, "fleet.yaml=", "real/x.yaml=kind: X\n");
        Trees.link(root, "alias.yaml", "real/x.yaml");
        Trees.link(root, "linked", "real");
        ScannedBundle bundle = only(ScanRequest.of(root, "repo"));
        assertThat(bundle.resources()).extracting(BundleResource::name)
                .containsExactly("alias.yaml", "linked/x.yaml", "real/x.yaml");
        assertThat(bundle.resources()).allSatisfy(r -> assertThat(r.content()).isEqualTo("kind: X\n"));
    }

    @Test
    void symlinkEscapingTheBundleIsAnErrorNamingTheLink() {
        Trees.write(outside, "secret.yaml=kind: Secret\n");
        Trees.write(root, "app/fleet.yaml=", "app/d.yaml");
        Trees.link(root, "app/stolen.yaml", outside.resolve("secret.yaml").toString());
        assertThatThrownBy(() -> scan(ScanRequest.of(root, "repo")))
                .isInstanceOf(BundleReadException.class)
                .hasMessageContaining("symlink app/stolen.yaml points outside the bundle directory app");
    }

    @Test
    void symlinkToASiblingBundleEscapesToo() {
        Trees.write(root, "shared/fleet.yaml=", "shared/cm.yaml", "app/fleet.yaml=", "app/d.yaml");
        Trees.link(root, "app/cm.yaml", "../shared/cm.yaml");
        assertThatThrownBy(() -> scan(ScanRequest.of(root, "repo")))
                .isInstanceOf(BundleReadException.class)
                .hasMessageContaining("symlink app/cm.yaml points outside the bundle directory app: ../shared/cm.yaml");
    }

    @Test
    void danglingSymlinkOutsideIsAnEscape() {
        Trees.write(root, "a.yaml");
        Trees.link(root, "gone.yaml", "../../nowhere.yaml");
        assertThatThrownBy(() -> scan(ScanRequest.of(root, "repo")))
                .isInstanceOf(BundleReadException.class)
                .hasMessageContaining("symlink gone.yaml points outside the bundle directory");
    }

    @Test
    void ignoredOrHiddenSymlinksAreNotFollowed() {
        Trees.write(outside, "secret.yaml=kind: Secret\n");
        Trees.write(root, ".fleetignore=stolen.yaml", "a.yaml");
        Trees.link(root, "stolen.yaml", outside.resolve("secret.yaml").toString());
        Trees.link(root, ".stolen.yaml", outside.resolve("secret.yaml").toString());
        assertThat(only(ScanRequest.of(root, "repo")).resources()).extracting(BundleResource::name)
                .containsExactly("a.yaml");
    }

    @Test
    void symlinkLoopIsAnError() {
        Trees.write(root, "a.yaml");
        Trees.link(root, "sub/loop", "..");
        assertThatThrownBy(() -> scan(ScanRequest.of(root, "repo")))
                .isInstanceOf(BundleReadException.class)
                .hasMessageContaining("symlink loop at sub/loop");
    }

    @Test
    void bundleOverTheSizeLimitNamesBundleSizeAndLimit() {
        Trees.write(root, "app/fleet.yaml=", "app/a.yaml=" + "x".repeat(600), "app/b.yaml=" + "y".repeat(500),
                "small/fleet.yaml=", "small/s.yaml=z");
        assertThatThrownBy(() -> BundleScanner.withSizeLimit(1000).scan(ScanRequest.of(root, "repo")))
                .isInstanceOf(BundleReadException.class)
                .hasMessage("bundle repo-app (app) is 1100 bytes, over the limit of 1000 bytes");
        List<ScannedBundle> accepted = BundleScanner.withSizeLimit(1100).scan(ScanRequest.of(root, "repo"));
        assertThat(accepted).extracting(ScannedBundle::size).containsExactly(1100L, 1L);
        assertThat(BundleScanner.create().sizeLimit()).isEqualTo(10L * 1024 * 1024);
    }

    @Test
    void excludedFilesDoNotCountTowardsTheLimit() {
        Trees.write(root, "fleet.yaml=helm:\n  valuesFiles: [big-values.yaml]\n" + "#".repeat(100),
                "big-values.yaml=a: " + "1".repeat(5000), ".hidden=" + "h".repeat(5000), "a.yaml=k: v");
        assertThat(BundleScanner.withSizeLimit(10).scan(ScanRequest.of(root, "repo"))).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "namespace: ok;helm:;  values: [unclosed;|app/fleet.yaml:\\d+:\\d+: .*",
        "namespace: ok;nameSpace: typo;|app/fleet.yaml:2:1: .*nameSpace.*",
        "namespace: ok;dependsOn:;- acceptedStates: [Ready];|app/fleet.yaml:3:\\d+: .*",
    })
    void invalidFleetYamlNamesFileLineAndError(String content, String messagePattern) {
        Trees.write(root, "app/fleet.yaml=" + content.replace(';', '\n'), "app/d.yaml");
        assertThatThrownBy(() -> scan(ScanRequest.of(root, "repo")))
                .isInstanceOf(BundleReadException.class)
                .message().matches(messagePattern);
    }

    @Test
    void valuesFilesAreReturnedWithTheirContent() {
        Trees.write(root, "app/fleet.yaml=helm:\n  chart: ./chart\n  valuesFiles: [values.yaml]\n"
                        + "targetCustomizations:\n- name: dev\n  helm:\n    valuesFiles: [../shared/dev.yaml]\n",
                "app/values.yaml=replicas: 1\n", "app/chart/Chart.yaml=name: c\n", "shared/dev.yaml=replicas: 2\n");
        ScannedBundle bundle = only(ScanRequest.of(root, "repo").withPaths(List.of("app")));
        assertThat(bundle.valuesFiles()).containsExactly(
                Map.entry("values.yaml", "replicas: 1\n"), Map.entry("../shared/dev.yaml", "replicas: 2\n"));
        assertThat(bundle.resources()).extracting(BundleResource::name).containsExactly("chart/Chart.yaml");
    }

    @Test
    void valuesFileOutsideTheCheckoutIsAnError() {
        Trees.write(outside, "v.yaml=a: 1\n");
        Trees.write(root, "fleet.yaml=targetCustomizations:\n- helm:\n    valuesFiles: [v.yaml]\n", "a.yaml");
        Trees.link(root, "v.yaml", outside.resolve("v.yaml").toString());
        assertThatThrownBy(() -> scan(ScanRequest.of(root, "repo")))
                .isInstanceOf(BundleReadException.class)
                .hasMessage("values file v.yaml is outside the repository");
    }

    static Stream<Arguments> valuesMerges() {
        return Stream.of(
                arguments("bundle with a chart: files deep-merged over inline values, in order",
                        "helm:\n  chart: ./chart\n  values: {a: 1, nested: {x: 1, y: 1}}\n"
                                + "  valuesFiles: [v1.yaml, v2.yaml]\n",
                        Map.of("a", 1, "b", 3, "nested", Map.of("x", 1, "y", 2)), null),
                arguments("bundle without a chart: values files are not merged (Fleet reads them only with a chart)",
                        "helm:\n  values: {a: 1}\n  valuesFiles: [v1.yaml]\n",
                        Map.of("a", 1), null),
                arguments("target: merged without a chart",
                        "targetCustomizations:\n- name: dev\n  helm:\n    values: {a: 1}\n"
                                + "    valuesFiles: [v2.yaml]\n",
                        null, Map.of("a", 1, "b", 3)),
                arguments("empty values file changes nothing",
                        "helm:\n  chart: ./chart\n  values: {a: 1}\n  valuesFiles: [empty.yaml]\n",
                        Map.of("a", 1), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesMerges")
    void valuesFilesAreMergedIntoTheParsedFleetYaml(String description, String fleetYaml,
                                                    Map<String, Object> bundleValues, Map<String, Object> targetValues) {
        Trees.write(root, "fleet.yaml=" + fleetYaml, "chart/Chart.yaml=name: c\n",
                "v1.yaml=nested: {y: 2}\nb: 2\n", "v2.yaml=b: 3\n", "empty.yaml=# nothing\n");
        FleetYaml parsed = only(ScanRequest.of(root, "repo")).fleetYaml();
        if (bundleValues != null) {
            assertThat(parsed.options().helm().values()).as(description).isEqualTo(bundleValues);
        }
        if (targetValues != null) {
            assertThat(parsed.targetCustomizations().get(0).options().helm().values()).as(description)
                    .isEqualTo(targetValues);
        }
    }

    @Test
    void valuesFileThatIsNotAMapIsAnError() {
        Trees.write(root, "fleet.yaml=targetCustomizations:\n- helm:\n    valuesFiles: [list.yaml]\n",
                "list.yaml=- a\n- b\n", "a.yaml");
        assertThatThrownBy(() -> scan(ScanRequest.of(root, "repo")))
                .isInstanceOf(BundleReadException.class)
                .hasMessage("reading values file: list.yaml: the document must be a map");
    }

    @Test
    void missingTargetValuesFileIsAnError() {
        Trees.write(root, "fleet.yaml=targetCustomizations:\n- helm:\n    valuesFiles: [nope.yaml]\n", "a.yaml");
        assertThatThrownBy(() -> scan(ScanRequest.of(root, "repo")))
                .isInstanceOf(BundleReadException.class)
                .hasMessage("reading values file: nope.yaml: no such file");
    }

    @Test
    void missingBundleValuesFileWithoutChartIsNotRead() {
        Trees.write(root, "fleet.yaml=helm:\n  valuesFiles: [nope.yaml]\n", "a.yaml");
        assertThat(only(ScanRequest.of(root, "repo")).valuesFiles()).isEmpty();
    }

    static Stream<Arguments> scanErrors() {
        return Stream.of(
                arguments("driven options file missing",
                        ScanRequest.of(Path.of("."), "repo").withBundles(List.of(DrivenBundle.of("app", "prod.yaml"))),
                        "failed to open file app/prod.yaml"),
                arguments("driven base missing",
                        ScanRequest.of(Path.of("."), "repo").withBundles(List.of(DrivenBundle.of("nope"))),
                        "bundle directory nope does not exist"),
                arguments("driven base escaping the checkout",
                        ScanRequest.of(Path.of("."), "repo").withBundles(List.of(DrivenBundle.of("../x"))),
                        "invalid bundle path ../x"),
                arguments("malformed glob",
                        ScanRequest.of(Path.of("."), "repo").withPaths(List.of("app/[")),
                        "invalid path glob app/["),
                arguments("path escaping the checkout",
                        ScanRequest.of(Path.of("."), "repo").withPaths(List.of("../etc")),
                        "invalid path ../etc"),
                arguments("two directories with the same fleet.yaml name",
                        ScanRequest.of(Path.of("."), "repo").withPaths(List.of("app", "copy")),
                        "directories app and copy both produce bundle same"),
                arguments("malformed .fleetignore line",
                        ScanRequest.of(Path.of("."), "repo").withPaths(List.of("web")),
                        "web/sub/.fleetignore:2: syntax error in pattern"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scanErrors")
    void scanErrors(String description, ScanRequest template, String message) {
        Trees.write(root, "app/fleet.yaml=name: same", "app/d.yaml", "copy/fleet.yaml=name: same", "copy/d.yaml",
                "web/w.yaml", "web/sub/.fleetignore=a\n[x\n", "web/sub/s.yaml");
        ScanRequest request = new ScanRequest(root, template.repoName(), null, Map.of(), template.paths(),
                template.bundles());
        assertThatThrownBy(() -> scan(request)).as(description)
                .isInstanceOf(BundleReadException.class)
                .hasMessageContaining(message);
    }

    @Test
    void globMatchThatIsASymlinkToOutsideIsAnError() {
        Trees.write(outside, "fleet.yaml=", "x.yaml");
        Trees.link(root, "apps/ext", outside.toString());
        assertThatThrownBy(() -> scan(ScanRequest.of(root, "repo").withPaths(List.of("apps/*"))))
                .isInstanceOf(BundleReadException.class)
                .hasMessageContaining("bundle directory apps/ext is a symlink to outside the repository");
    }

    @Test
    void noResourcesMessageListsThePathsLikeFleet() {
        assertThat(BundleScanner.noResourcesMessage(ScanRequest.of(root, "r")))
                .isEqualTo("no resource found at the following paths to deploy: [.]");
        assertThat(BundleScanner.noResourcesMessage(ScanRequest.of(root, "r").withPaths(List.of("a", "b/*"))))
                .isEqualTo("no resource found at the following paths to deploy: [a b/*]");
        assertThat(BundleScanner.noResourcesMessage(
                ScanRequest.of(root, "r").withBundles(List.of(DrivenBundle.of("a", "o.yaml")))))
                .isEqualTo("no resource found at the following paths to deploy: [a:o.yaml]");
    }

    @Test
    void emptyScanReturnsNoBundles() {
        Trees.write(root, "README.md=#");
        assertThat(scan(ScanRequest.of(root, "repo"))).isEmpty();
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package io.flotilla.bundle.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.bundle.fleetyaml.FleetYaml;
import io.flotilla.bundle.fleetyaml.FleetYamlParser;
import io.flotilla.bundle.options.BundleResource;
import io.flotilla.bundle.options.BundleTarget;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fixture repositories under {@code examples/} scan into the bundles and resources they are meant to. */
class ExampleReposTest {

    private static final Path EXAMPLES = examples();

    static Stream<Arguments> examplesBundles() {
        return Stream.of(
                arguments("guestbook-manifests", List.of(
                        "frontend-deployment.yaml", "frontend-service.yaml",
                        "overlays/noreplication/redis-follower-deployment_patch.yaml",
                        "overlays/noreplication/redis-follower-service_patch.yaml",
                        "overlays/scale3/frontend-deployment_patch.yaml",
                        "overlays/servicelb/frontend-service_patch.yaml",
                        "redis-follower-deployment.yaml", "redis-follower-service.yaml",
                        "redis-leader-deployment.yaml", "redis-leader-service.yaml")),
                arguments("guestbook-helm", List.of(
                        "Chart.yaml", "templates/frontend-deployment.yaml", "templates/frontend-service.yaml",
                        "templates/redis.yaml", "values.yaml")),
                arguments("guestbook-kustomize", List.of(
                        "base/frontend-deployment.yaml", "base/frontend-service.yaml", "base/kustomization.yaml",
                        "base/redis-leader-deployment.yaml", "base/redis-leader-service.yaml",
                        "overlays/dev/kustomization.yaml", "overlays/prod/frontend-service-lb.yaml",
                        "overlays/prod/kustomization.yaml", "overlays/prod/redis-follower.yaml",
                        "overlays/test/kustomization.yaml")),
                arguments("guestbook-helm-kustomize", List.of(
                        "chart/Chart.yaml", "chart/templates/frontend-deployment.yaml",
                        "chart/templates/frontend-service.yaml", "chart/templates/redis.yaml", "chart/values.yaml",
                        "overlays/dev/kustomization.yaml", "overlays/dev/no-followers.yaml",
                        "overlays/prod/frontend-service-lb.yaml", "overlays/prod/kustomization.yaml",
                        "overlays/test/kustomization.yaml")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examplesBundles")
    void exampleScansIntoOneBundleWithItsFiles(String dir, List<String> resources) {
        List<ScannedBundle> bundles = BundleScanner.create()
                .scan(ScanRequest.of(EXAMPLES, "examples").withPaths(List.of(dir)).withCommit("0123abcd"));
        assertThat(bundles).hasSize(1);
        ScannedBundle bundle = bundles.get(0);
        assertThat(bundle.name()).isEqualTo("examples-" + dir);
        assertThat(bundle.fleetYamlPath()).isEqualTo(Path.of(dir, "fleet.yaml"));
        assertThat(bundle.resources()).extracting(BundleResource::name).containsExactlyElementsOf(resources);
        assertThat(bundle.resources()).allSatisfy(r -> assertThat(r.encoding()).isNull());
        assertThat(bundle.labels()).containsEntry(BundleScanner.COMMIT_LABEL, "0123abcd");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examplesBundles")
    void exampleFleetYamlTargetsEnvironmentsDevTestProd(String dir, List<String> resources) throws Exception {
        FleetYaml fleetYaml = FleetYamlParser.parse(EXAMPLES.resolve(dir).resolve("fleet.yaml"));
        assertThat(fleetYaml.options().defaultNamespace()).isEqualTo(dir);
        assertThat(fleetYaml.targetCustomizations()).extracting(BundleTarget::name)
                .containsExactly("dev", "test", "prod");
        assertThat(fleetYaml.targetCustomizations()).extracting(t -> t.clusterSelector().matchLabels())
                .containsExactly(Map.of("env", "dev"), Map.of("env", "test"), Map.of("env", "prod"));
    }

    @Test
    void wholeExamplesRepoGivesFourBundlesAndNoRootBundle() {
        List<ScannedBundle> bundles = BundleScanner.create().scan(ScanRequest.of(EXAMPLES, "examples"));
        assertThat(bundles).extracting(ScannedBundle::name).containsExactly(
                "examples-guestbook-helm", "examples-guestbook-helm-kustomize",
                "examples-guestbook-kustomize", "examples-guestbook-manifests");
        assertThat(BundleScanner.create().scan(ScanRequest.of(EXAMPLES, "examples")
                .withPaths(List.of("guestbook-*")))).isEqualTo(bundles);
    }

    @Test
    void helmExampleCarriesItsPerEnvironmentValuesFilesOutsideTheResources() {
        ScannedBundle bundle = BundleScanner.create()
                .scan(ScanRequest.of(EXAMPLES, "examples").withPaths(List.of("guestbook-helm"))).get(0);
        assertThat(bundle.valuesFiles()).containsOnlyKeys(
                "environments/dev.yaml", "environments/test.yaml", "environments/prod.yaml");
        assertThat(bundle.valuesFiles().get("environments/prod.yaml")).contains("serviceType: LoadBalancer");
        assertThat(new String(bundle.fleetYamlContent(), StandardCharsets.UTF_8)).contains("releaseName: guestbook");
        assertThat(bundle.fleetYaml().targetCustomizations()).extracting(t -> t.options().helm().values())
                .containsExactly(
                        Map.of("replicas", 1, "followerReplicas", 0),
                        Map.of("replicas", 2, "followerReplicas", 1),
                        Map.of("replicas", 3, "followerReplicas", 2, "serviceType", "LoadBalancer"));
        assertThat(bundle.fleetYaml().options().helm().values()).isEqualTo(Map.of("serviceType", "ClusterIP"));
    }

    @Test
    void drivenScanReadsTheSameBundlesUnderTheSameNames() {
        List<ScannedBundle> driven = BundleScanner.create().scan(ScanRequest.of(EXAMPLES, "examples")
                .withBundles(List.of(DrivenBundle.of("guestbook-helm"), DrivenBundle.of("guestbook-manifests"))));
        List<ScannedBundle> classic = BundleScanner.create().scan(ScanRequest.of(EXAMPLES, "examples")
                .withPaths(List.of("guestbook-helm", "guestbook-manifests")));
        assertThat(driven).isEqualTo(classic);
    }

    private static Path examples() {
        try {
            return Path.of(ExampleReposTest.class.getResource("/examples").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

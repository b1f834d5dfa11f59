package io.flotilla.bundle.render;

import static io.flotilla.bundle.render.TestBundles.at;
import static io.flotilla.bundle.render.TestBundles.find;
import static io.flotilla.bundle.render.TestBundles.ids;
import static io.flotilla.bundle.render.TestBundles.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.bundle.fleetyaml.FleetYaml;
import io.flotilla.bundle.fleetyaml.FleetYamlParser;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.HelmValues;
import io.flotilla.bundle.options.OptionsMerge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixture bundles under src/test/resources/render, in the shapes of Fleet's examples, rendered for each
 * environment's customization (options merged as the manager does).
 */
class FleetExamplesHelmTest {

    @TempDir
    Path workDir;

    private final BundleRenderer renderer = new BundleRenderer(TestBundles.NO_CHARTS);

    static Stream<Arguments> guestbook() {
        return Stream.of(
                // customization, frontend replicas, image tag, frontend service type, redis-slave present, extra
                Arguments.of(null, 3, "v4", "ClusterIP", true, null),
                Arguments.of("dev", 1, "v4", "ClusterIP", true, null),
                Arguments.of("test", 2, "v4", "ClusterIP", false, null),
                Arguments.of("prod", 5, "v5", "LoadBalancer", true, "HorizontalPodAutoscaler/frontend"));
    }

    @ParameterizedTest(name = "guestbook raw with overlays, {0}")
    @MethodSource("guestbook")
    void guestbookRawWithOverlays(String env, int replicas, String tag, String serviceType, boolean slave,
                                  String extra) throws Exception {
        RenderedBundle rendered = render("guestbook", env);

        assertThat(rendered.style()).isEqualTo("raw");
        var frontend = find(rendered, "Deployment", "frontend");
        assertThat(at(frontend, "spec.replicas")).isEqualTo(replicas);
        var container = (Map<?, ?>) ((List<?>) at(frontend, "spec.template.spec.containers")).get(0);
        assertThat(container.get("image")).isEqualTo("gcr.io/google-samples/gb-frontend:" + tag);
        assertThat(container.get("ports")).isEqualTo(List.of(Map.of("containerPort", 80)));
        assertThat(at(find(rendered, "Service", "frontend"), "spec.type")).isEqualTo(serviceType);
        assertThat(ids(rendered).contains("Deployment/redis-slave")).isEqualTo(slave);
        assertThat(ids(rendered)).doesNotContain("ConfigMap/extras");
        if (extra != null) {
            assertThat(ids(rendered)).contains(extra);
        }
        assertThat(rendered.objects()).allSatisfy(o -> assertThat(namespace(o)).isEqualTo("fleet-mc-manifest-example"));
    }

    static Stream<Arguments> helm() {
        return Stream.of(
                // customization, frontend replicas, service type, redis-slave present
                Arguments.of(null, 1, "ClusterIP", true),
                Arguments.of("dev", 1, "ClusterIP", false),
                Arguments.of("test", 3, "ClusterIP", true),
                Arguments.of("prod", 5, "LoadBalancer", true));
    }

    @ParameterizedTest(name = "helm chart with per-environment values, {0}")
    @MethodSource("helm")
    void helmChartWithPerEnvironmentValues(String env, int replicas, String serviceType, boolean slave)
            throws Exception {
        RenderedBundle rendered = render("helm", env);

        assertThat(rendered.style()).isEqualTo("helm");
        var frontend = find(rendered, "Deployment", "frontend");
        assertThat(at(frontend, "spec.replicas")).isEqualTo(replicas);
        assertThat(at(frontend, "metadata.labels")).isEqualTo(Map.of("app.kubernetes.io/instance", "guestbook"));
        assertThat(at(find(rendered, "Service", "frontend"), "spec.type")).isEqualTo(serviceType);
        assertThat(ids(rendered).contains("Deployment/redis-slave")).isEqualTo(slave);
        assertThat(rendered.objects()).allSatisfy(o -> assertThat(namespace(o)).isEqualTo("fleet-mc-helm-example"));
    }

    static Stream<Arguments> kustomize() {
        return Stream.of(
                // customization, frontend deployment name, replicas, service type
                Arguments.of(null, "frontend", 3, "ClusterIP"),
                Arguments.of("dev", "frontend", 1, "ClusterIP"),
                Arguments.of("test", "test-frontend", 3, "ClusterIP"),
                Arguments.of("prod", "frontend", 5, "LoadBalancer"));
    }

    @ParameterizedTest(name = "kustomize base and overlays, {0}")
    @MethodSource("kustomize")
    void kustomizeBaseAndOverlays(String env, String name, int replicas, String serviceType) throws Exception {
        TestBundles.assumeKustomize();

        RenderedBundle rendered = render("kustomize", env);

        assertThat(rendered.style()).isEqualTo("kustomize");
        assertThat(at(find(rendered, "Deployment", name), "spec.replicas")).isEqualTo(replicas);
        assertThat(at(find(rendered, "Service", name), "spec.type")).isEqualTo(serviceType);
        assertThat(rendered.objects()).allSatisfy(o ->
                assertThat(namespace(o)).isEqualTo("fleet-mc-kustomize-example"));
    }

    @Test
    void helmWithoutKustomizationRendersHelmOnly() throws Exception {
        RenderedBundle rendered = render("helm-kustomize", null);

        assertThat(rendered.style()).isEqualTo("helm");
        assertThat(at(find(rendered, "Deployment", "frontend"), "spec.replicas")).isEqualTo(2);
    }

    static Stream<Arguments> helmKustomize() {
        return Stream.of(
                // customization, replicas, service type, env label, extra object
                Arguments.of("dev", 1, "ClusterIP", null, null),
                Arguments.of("prod", 2, "LoadBalancer", "prod", "HorizontalPodAutoscaler/frontend"));
    }

    @ParameterizedTest(name = "helm followed by kustomize, {0}")
    @MethodSource("helmKustomize")
    void helmFollowedByKustomize(String env, int replicas, String serviceType, String envLabel, String extra)
            throws Exception {
        TestBundles.assumeKustomize();

        RenderedBundle rendered = render("helm-kustomize", env);

        assertThat(rendered.style()).isEqualTo("helm+kustomize");
        var frontend = find(rendered, "Deployment", "frontend");
        assertThat(at(frontend, "spec.replicas")).isEqualTo(replicas);
        assertThat(at(frontend, "metadata.labels.env")).isEqualTo(envLabel);
        assertThat(at(frontend, "metadata.labels")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("app.kubernetes.io/instance", "guestbook");
        assertThat(at(find(rendered, "Service", "frontend"), "spec.type")).isEqualTo(serviceType);
        if (extra != null) {
            assertThat(ids(rendered)).contains(extra);
        }
        assertThat(rendered.objects()).allSatisfy(o ->
                assertThat(namespace(o)).isEqualTo("fleet-mc-helm-kustomize-example"));
    }

    /** Renders a fixture for one customization, with the options the manager would give its BundleDeployment. */
    private RenderedBundle render(String fixture, String customization) throws Exception {
        Path dir = TestBundles.fixture(fixture);
        FleetYaml fleetYaml = FleetYamlParser.parse(dir.resolve("fleet.yaml"));
        BundleDeploymentOptions options = mergeValuesFiles(fleetYaml.options(), dir);
        if (customization != null) {
            BundleTarget target = fleetYaml.targetCustomizations().stream()
                    .filter(t -> customization.equals(t.name())).findFirst().orElseThrow();
            options = OptionsMerge.merge(options, mergeValuesFiles(target.options(), dir));
        }
        var ctx = RenderContext.of("guestbook", workDir, ProcessKustomizeRunner.fromEnvironment());
        return renderer.render(fixture, TestBundles.fromDirectory(dir), options, ctx);
    }

    /** What reading the bundle does (§2.5): values files merged into the values of each options block. */
    @SuppressWarnings("unchecked")
    private static BundleDeploymentOptions mergeValuesFiles(BundleDeploymentOptions options, Path dir) throws Exception {
        if (options.helm() == null || options.helm().valuesFiles() == null) {
            return options;
        }
        List<Map<String, Object>> files = new ArrayList<>();
        for (String file : options.helm().valuesFiles()) {
            files.add(ManifestParser.YAML.readValue(Files.readString(dir.resolve(file)), Map.class));
        }
        var helm = options.helm().toBuilder()
                .values(HelmValues.mergeValuesFiles(options.helm().values(), files))
                .valuesFiles(null)
                .build();
        return options.toBuilder().helm(helm).build();
    }
}

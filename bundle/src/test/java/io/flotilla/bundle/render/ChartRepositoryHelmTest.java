package io.flotilla.bundle.render;

import static io.flotilla.bundle.render.TestBundles.at;
import static io.flotilla.bundle.render.TestBundles.find;
import static io.flotilla.bundle.render.TestBundles.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Charts from an HTTP chart repository served on 127.0.0.1, rendered with Helm. */
class ChartRepositoryHelmTest {

    @TempDir
    Path tmp;

    private HttpServer server;
    private String repo;
    private String registry;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final BundleRenderer renderer = new BundleRenderer(HttpChartSource.create());

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = served.get(path);
            if (path.startsWith("/v2/") && !"Bearer tok".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:"
                        + server.getAddress().getPort() + "/token\",service=\"fake\",scope=\"repository:charts/app:pull\"");
                exchange.sendResponseHeaders(401, -1);
            } else if (path.equals("/token") && !"service=fake&scope=repository:charts/app:pull".equals(
                    exchange.getRequestURI().getQuery())) {
                exchange.sendResponseHeaders(400, -1);
            } else if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        repo = "http://127.0.0.1:" + server.getAddress().getPort() + "/stable";
        byte[] v1 = chart("1.0.0", "one");
        byte[] v2 = chart("2.0.0", "two");
        served.put("/stable/charts/app-1.0.0.tgz", v1);
        served.put("/stable/charts/app-2.0.0.tgz", v2);
        served.put("/stable/index.yaml", ("""
                apiVersion: v1
                entries:
                  app:
                  - name: app
                    version: 1.0.0
                    digest: %s
                    urls: [charts/app-1.0.0.tgz]
                  - name: app
                    version: 2.0.0
                    digest: %s
                    urls: [%s/charts/app-2.0.0.tgz]
                  tampered:
                  - name: tampered
                    version: 1.0.0
                    digest: %s
                    urls: [charts/app-1.0.0.tgz]
                """).formatted(sha256(v1), sha256(v2), repo, sha256(v2)).getBytes(StandardCharsets.UTF_8));
        registry = "oci://127.0.0.1:" + server.getAddress().getPort() + "/charts/app";
        served.put("/token", "{\"token\": \"tok\"}".getBytes(StandardCharsets.UTF_8));
        served.put("/v2/charts/app/tags/list", "{\"name\": \"charts/app\", \"tags\": [\"1.0.0\", \"2.0.0\"]}"
                .getBytes(StandardCharsets.UTF_8));
        for (byte[] archive : List.of(v1, v2)) {
            String digest = "sha256:" + sha256(archive);
            served.put("/v2/charts/app/blobs/" + digest, archive);
            served.put("/v2/charts/app/manifests/" + (archive == v1 ? "1.0.0" : "2.0.0"), ("""
                    {"schemaVersion": 2,
                     "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json", "digest": "sha256:00", "size": 2},
                     "layers": [{"mediaType": "%s", "digest": "%s", "size": %d}]}
                    """).formatted(OciChartPuller.CHART_LAYER, digest, archive.length).getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @ParameterizedTest(name = "version \"{0}\" -> {1}")
    @CsvSource({"1.0.0, one", "v1.0.0, one", "2.0.0, two", "'', two"})
    void rendersChartFromRepository(String version, String generation) throws RenderException {
        var options = BundleDeploymentOptions.builder().defaultNamespace("apps").helm(HelmOptions.builder()
                .repo(repo).chart("app").version(version).values(Map.of("greeting", "hello")).build()).build();

        RenderedBundle rendered = renderer.render("b", List.of(), options, context());

        assertThat(rendered.style()).isEqualTo("helm");
        var config = find(rendered, "ConfigMap", "release-app");
        assertThat(at(config, "data.generation")).isEqualTo(generation);
        assertThat(at(config, "data.greeting")).isEqualTo("hello");
    }

    @Test
    void rendersChartFromArchiveUrl() throws RenderException {
        var options = BundleDeploymentOptions.builder().helm(HelmOptions.builder()
                .chart(repo + "/charts/app-1.0.0.tgz").build()).build();

        assertThat(ids(renderer.render("b", List.of(), options, context()))).containsExactly("ConfigMap/release-app");
    }

    @Test
    void digestMismatchIsAnError() {
        var options = helm(repo, "tampered", "1.0.0");

        assertThatThrownBy(() -> renderer.render("b", List.of(), options, context()))
                .hasMessageStartingWith("bundle b: chart archive " + repo + "/charts/app-1.0.0.tgz has digest sha256:")
                .hasMessageContaining("but the repository index says");
    }

    @Test
    void unknownChartAndVersionAreErrors() {
        assertThatThrownBy(() -> renderer.render("b", List.of(), helm(repo, "nope", ""), context()))
                .hasMessage("bundle b: chart nope not found in repository " + repo + "/");
        assertThatThrownBy(() -> renderer.render("b", List.of(), helm(repo, "app", "3.0.0"), context()))
                .hasMessage("bundle b: version 3.0.0 of chart app not found in repository " + repo
                        + "/ (available: [1.0.0, 2.0.0])");
    }

    @Test
    void unreachableRepositoryIsAnError() {
        assertThatThrownBy(() -> renderer.render("b", List.of(), helm(repo + "/missing", "app", ""), context()))
                .hasMessage("bundle b: GET " + repo + "/missing/index.yaml answered HTTP 404 (repo=" + repo
                        + "/missing chart=app version=)");
    }

    @ParameterizedTest(name = "oci version \"{0}\" -> {1}")
    @CsvSource({"1.0.0, one", "'', two"})
    void rendersChartFromOciRegistryWithAnonymousToken(String version, String generation) throws RenderException {
        var options = BundleDeploymentOptions.builder().helm(HelmOptions.builder()
                .chart(registry).version(version).build()).build();

        RenderedBundle rendered = renderer.render("b", List.of(), options, context());

        assertThat(at(find(rendered, "ConfigMap", "release-app"), "data.generation")).isEqualTo(generation);
    }

    @Test
    void ociRepositoryPlusChartNameIsAReference() throws RenderException {
        var options = helm(registry.substring(0, registry.lastIndexOf('/')), "app", "2.0.0");

        RenderedBundle rendered = renderer.render("b", List.of(), options, context());

        assertThat(at(find(rendered, "ConfigMap", "release-app"), "data.generation")).isEqualTo("two");
    }

    @Test
    void missingOciVersionIsAnError() {
        var options = BundleDeploymentOptions.builder().helm(HelmOptions.builder()
                .chart(registry).version("9.9.9").build()).build();

        assertThatThrownBy(() -> renderer.render("b", List.of(), options, context()))
                .hasMessage("bundle b: GET " + registry.replace("oci://", "http://").replace("/charts/app", "/v2/charts/app")
                        + "/manifests/9.9.9 answered HTTP 404 (" + registry + ")");
    }

    @Test
    void chartDownloadedByTheManagerIsUsedWithoutFetching() throws Exception {
        HelmOptions helm = HelmOptions.builder().repo("https://unreachable.invalid").chart("app").version("1.0.0").build();
        String prefix = BundleStyle.downloadPrefix(helm);
        Path unpacked = Files.createDirectory(tmp.resolve("unpacked"));
        Path chartDir = TarGz.extractChart(served.get("/stable/charts/app-1.0.0.tgz"), unpacked);
        var resources = TestBundles.of(
                prefix + "/app/Chart.yaml", Files.readString(chartDir.resolve("Chart.yaml")),
                prefix + "/app/templates/cm.yaml", Files.readString(chartDir.resolve("templates/cm.yaml")));
        var noFetch = new BundleRenderer(TestBundles.NO_CHARTS);

        RenderedBundle rendered = noFetch.render("b", resources,
                BundleDeploymentOptions.builder().helm(helm).build(), context());

        assertThat(at(find(rendered, "ConfigMap", "release-app"), "data.generation")).isEqualTo("one");
    }

    private RenderContext context() {
        try {
            return TestBundles.context(Files.createDirectories(tmp.resolve("work")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BundleDeploymentOptions helm(String repo, String chart, String version) {
        return BundleDeploymentOptions.builder()
                .helm(HelmOptions.builder().repo(repo).chart(chart).version(version).build()).build();
    }

    private byte[] chart(String version, String generation) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("chart-" + version));
        Path archive = HelmCharts.packageChart(dir, Map.of(
                "Chart.yaml", "apiVersion: v2\nname: app\nversion: " + version + "\n",
                "values.yaml", "greeting: hi\n",
                "templates/cm.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: {{ .Release.Name }}-app
                        data:
                          generation: %s
                          greeting: {{ .Values.greeting }}
                        """.formatted(generation)));
        return Files.readAllBytes(archive);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

package io.flotilla.bundle.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.flotilla.bundle.render.ChartSource.ChartReference;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chart that cannot be fetched says what failed: the URL, the HTTP status, or the exception's class and message;
 * never the body the server sent.
 */
class ChartFetchErrorsMockTest {

    private static final String SECRET_BODY = "body-that-must-not-show";

    @TempDir
    Path destination;
    private HttpServer server;
    private String base;
    private final HttpChartSource source = HttpChartSource.create();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            // the first path segment that is a number is the status to answer (/404/..., /v2/500/...)
            int status = java.util.Arrays.stream(exchange.getRequestURI().getPath().split("/"))
                    .filter(p -> p.matches("\\d{3}")).findFirst().map(Integer::parseInt).orElse(200);
            byte[] body = SECRET_BODY.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private RenderException fetch(String repo, String chart) {
        return catchThrowableOfType(RenderException.class,
                () -> source.fetch(new ChartReference(repo, chart, ""), destination));
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 500})
    void httpStatusOfAChartArchiveUrl(int status) {
        String url = base + "/" + status + "/app-1.0.0.tgz";
        RenderException e = fetch("", url);
        assertThat(e).hasMessage("GET " + url + " answered HTTP " + status + " (repo= chart=" + url + " version=)");
        assertThat(e.getMessage()).doesNotContain(SECRET_BODY);
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 500})
    void httpStatusOfARepositoryIndex(int status) {
        RenderException e = fetch(base + "/" + status, "app");
        assertThat(e).hasMessage("GET " + base + "/" + status + "/index.yaml answered HTTP " + status
                + " (repo=" + base + "/" + status + " chart=app version=)");
        assertThat(e.getMessage()).doesNotContain(SECRET_BODY);
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 500})
    void httpStatusOfAnOciRegistry(int status) {
        String reference = "oci://127.0.0.1:" + server.getAddress().getPort() + "/" + status + "/app";
        RenderException e = catchThrowableOfType(RenderException.class,
                () -> source.fetch(new ChartReference("", reference, "1.0.0"), destination));
        assertThat(e).hasMessage("GET " + base + "/v2/" + status + "/app/manifests/1.0.0 answered HTTP " + status
                + " (" + reference + ")");
        assertThat(e.getMessage()).doesNotContain(SECRET_BODY);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void closedPortOfAChartArchiveUrlNamesTheException() throws IOException {
        String url = "http://127.0.0.1:" + closedPort() + "/app-1.0.0.tgz";
        RenderException e = fetch("", url);
        assertThat(e.getMessage())
                .startsWith("GET " + url + " failed: cannot connect to 127.0.0.1:" + URI.create(url).getPort()
                        + " (connection refused or host unreachable): java.net.ConnectException")
                .endsWith("(repo= chart=" + url + " version=)")
                .doesNotContain("null");
    }

    @Test
    void closedPortOfARepositoryNamesTheException() throws IOException {
        String repo = "http://127.0.0.1:" + closedPort() + "/charts";
        RenderException e = fetch(repo, "app");
        assertThat(e.getMessage())
                .startsWith("GET " + repo + "/index.yaml failed: cannot connect to 127.0.0.1:" + URI.create(repo).getPort()
                        + " (connection refused or host unreachable): java.net.ConnectException")
                .doesNotContain("null");
    }

    @Test
    void closedPortOfAnOciRegistryNamesTheException() throws IOException {
        int port = closedPort();
        String reference = "oci://127.0.0.1:" + port + "/charts/app";
        RenderException e = catchThrowableOfType(RenderException.class,
                () -> source.fetch(new ChartReference("", reference, "1.0.0"), destination));
        assertThat(e.getMessage())
                .startsWith("GET http://127.0.0.1:" + port + "/v2/charts/app/manifests/1.0.0 failed: cannot connect to 127.0.0.1:"
                        + port + " (connection refused or host unreachable): java.net.ConnectException")
                .endsWith("(" + reference + ")")
                .doesNotContain("null");
    }

    @Test
    void describeNamesClassAndMessageOfEachCause() {
        var e = new java.net.ConnectException();
        e.initCause(new java.net.ConnectException("Connection refused"));
        assertThat(RenderException.describe(e))
                .isEqualTo("java.net.ConnectException; caused by java.net.ConnectException: Connection refused");
        assertThat(RenderException.describe(new IOException("disk full"))).isEqualTo("java.io.IOException: disk full");
        IOException same = new IOException("x", new IOException("x"));
        assertThat(RenderException.describe(same)).isEqualTo("java.io.IOException: x");
    }
}

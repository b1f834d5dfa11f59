package io.flotilla.bundle.render;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Charts from HTTP(S) chart repositories ({@code helm.repo} + {@code chart} + {@code version}: reads the
 * repository's {@code index.yaml}, downloads the archive, checks its sha256 digest when the index has one), from
 * chart archive URLs ({@code helm.chart: https://.../x.tgz}) and from OCI registries ({@code oci://}, anonymous
 * access only; see {@link OciChartPuller}). Semver ranges in {@code version} are not supported.
 */
public final class HttpChartSource implements ChartSource {

    private final HttpClient client;
    private final Duration timeout;
    private final OciChartPuller oci;

    public HttpChartSource(HttpClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.oci = new OciChartPuller(client, timeout);
    }

    /** A source with its own client that follows redirects, and a 60 s limit per request. */
    public static HttpChartSource create() {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
        return new HttpChartSource(client, Duration.ofSeconds(60));
    }

    @Override
    public Path fetch(ChartReference chart, Path destination) throws RenderException {
        if (chart.repo().startsWith("oci://") || chart.chart().startsWith("oci://")) {
            String reference = OciChartPuller.reference(chart.repo(), chart.chart());
            try {
                return TarGz.extractChart(oci.pull(reference, chart.version()), destination);
            } catch (IOException e) {
                throw RenderException.inFile(null, null, "cannot unpack chart " + reference + ": " + RenderException.describe(e), e);
            }
        }
        URI archive;
        String digest = null;
        if (chart.repo().isEmpty()) {
            archive = uri(chart.chart(), chart);
        } else {
            IndexEntry entry = lookUp(chart);
            archive = entry.url();
            digest = entry.digest();
        }
        byte[] bytes = get(archive, chart);
        if (digest != null && !digest.isEmpty()) {
            String actual = sha256(bytes);
            if (!actual.equalsIgnoreCase(digest)) {
                throw RenderException.inFile(null, null, "chart archive " + archive + " has digest sha256:" + actual
                        + " but the repository index says " + digest + " (" + chart + ")");
            }
        }
        try {
            return TarGz.extractChart(bytes, destination);
        } catch (IOException e) {
            throw RenderException.inFile(null, null, "cannot unpack chart archive " + archive + ": " + RenderException.describe(e), e);
        }
    }

    private record IndexEntry(URI url, String digest) {
    }

    @SuppressWarnings("unchecked")
    private IndexEntry lookUp(ChartReference chart) throws RenderException {
        String repo = chart.repo().endsWith("/") ? chart.repo() : chart.repo() + "/";
        URI indexUri = uri(repo + "index.yaml", chart);
        Object index = ManifestParser.parseSingle(indexUri.toString(),
                new String(get(indexUri, chart), StandardCharsets.UTF_8));
        Object entries = index instanceof Map<?, ?> m ? m.get("entries") : null;
        Object versions = entries instanceof Map<?, ?> e ? e.get(chart.chart()) : null;
        if (!(versions instanceof List<?> list) || list.isEmpty()) {
            throw RenderException.inFile(null, null, "chart " + chart.chart() + " not found in repository " + repo);
        }
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (Object v : list) {
            if (v instanceof Map<?, ?> map) {
                candidates.add((Map<String, Object>) map);
            }
        }
        Map<String, Object> selected = select(candidates, chart.version()).orElseThrow(() ->
                RenderException.inFile(null, null, "version " + chart.version() + " of chart " + chart.chart()
                        + " not found in repository " + repo + " (available: " + candidates.stream()
                        .map(c -> String.valueOf(c.get("version"))).toList() + ")"));
        Object urls = selected.get("urls");
        if (!(urls instanceof List<?> urlList) || urlList.isEmpty()) {
            throw RenderException.inFile(null, null, "repository " + repo + " lists no URL for " + chart);
        }
        URI url = URI.create(repo).resolve(String.valueOf(urlList.get(0)));
        Object digest = selected.get("digest");
        return new IndexEntry(url, digest == null ? null : String.valueOf(digest));
    }

    /** The exact version (a leading {@code v} on either side is ignored), or the newest when none is asked for. */
    private static java.util.Optional<Map<String, Object>> select(List<Map<String, Object>> candidates, String version) {
        if (version.isEmpty()) {
            return candidates.stream().max((a, b) -> ChartVersions.compare(
                    String.valueOf(a.get("version")), String.valueOf(b.get("version"))));
        }
        String wanted = stripV(version);
        return candidates.stream().filter(c -> stripV(String.valueOf(c.get("version"))).equals(wanted)).findFirst();
    }

    private static String stripV(String version) {
        return version.startsWith("v") ? version.substring(1) : version;
    }

    private byte[] get(URI uri, ChartReference chart) throws RenderException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw RenderException.inFile(null, null, "GET " + uri + " answered HTTP " + response.statusCode()
                        + " (" + chart + ")");
            }
            return response.body();
        } catch (IOException e) {
            throw RenderException.inFile(null, null, "GET " + uri + " failed: " + describeFailure(uri, e) + " (" + chart + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RenderException.inFile(null, null, "interrupted while fetching " + uri, e);
        }
    }

    /**
     * Why a request to {@code uri} failed, for a message: what that means where it is clear (the JDK client's refused
     * connection is a {@code ConnectException} without a message), then the exceptions. Nothing the server sent.
     */
    static String describeFailure(URI uri, Throwable e) {
        String hostPort = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        String meaning = null;
        if (causedBy(e, java.net.http.HttpConnectTimeoutException.class)) {
            meaning = "connecting to " + hostPort + " timed out";
        } else if (causedBy(e, java.net.http.HttpTimeoutException.class)) {
            meaning = hostPort + " did not answer in time";
        } else if (causedBy(e, java.net.UnknownHostException.class)
                || causedBy(e, java.nio.channels.UnresolvedAddressException.class)) {
            meaning = "unknown host " + uri.getHost();
        } else if (causedBy(e, java.net.ConnectException.class)) {
            meaning = "cannot connect to " + hostPort + " (connection refused or host unreachable)";
        }
        String exceptions = RenderException.describe(e);
        return meaning == null ? exceptions : meaning + ": " + exceptions;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static URI uri(String text, ChartReference chart) throws RenderException {
        try {
            URI uri = URI.create(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw RenderException.inFile(null, null, "invalid chart URL " + text + ": " + e.getMessage() + " (" + chart + ")");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}

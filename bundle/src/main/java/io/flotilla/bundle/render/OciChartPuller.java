package io.flotilla.bundle.render;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls a Helm chart archive from an OCI registry with the distribution API, as {@code helm pull oci://...} does:
 * the manifest of the tag (the chart version, {@code +} written {@code _}; the highest tag when no version is
 * given), then its chart-content layer, digest-checked. Anonymous bearer tokens are fetched when the registry
 * asks for them. Loopback registries are spoken to over plain HTTP, others over HTTPS.
 */
final class OciChartPuller {

    static final String CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private static final String MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json";
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient client;
    private final Duration timeout;

    OciChartPuller(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** {@code oci://host[:port]/path/name}, or a repository {@code oci://host/path} plus a chart name. */
    static String reference(String repo, String chart) {
        if (chart.startsWith("oci://")) {
            return chart;
        }
        return (repo.endsWith("/") ? repo : repo + "/") + chart;
    }

    /** The chart archive of {@code reference} at {@code version} ({@code ""}: the highest version). */
    byte[] pull(String reference, String version) throws RenderException {
        String rest = reference.substring("oci://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw RenderException.inFile(null, null, "invalid OCI chart reference " + reference);
        }
        String host = rest.substring(0, slash);
        String name = rest.substring(slash + 1);
        String base = (isLoopback(host) ? "http://" : "https://") + host + "/v2/" + name;
        Session session = new Session(reference);
        String tag = version.isEmpty() ? highestTag(session, base) : version.replace('+', '_');
        Object manifest = parse(session.get(URI.create(base + "/manifests/" + tag), MANIFEST_TYPES), reference);
        Object layers = manifest instanceof Map<?, ?> m ? m.get("layers") : null;
        if (layers instanceof List<?> list) {
            for (Object layer : list) {
                if (layer instanceof Map<?, ?> l && CHART_LAYER.equals(l.get("mediaType"))) {
                    String digest = String.valueOf(l.get("digest"));
                    byte[] archive = session.get(URI.create(base + "/blobs/" + digest), "*/*");
                    verify(archive, digest, reference);
                    return archive;
                }
            }
        }
        throw RenderException.inFile(null, null, reference + ":" + tag + " is not a Helm chart (no layer of type "
                + CHART_LAYER + ")");
    }

    private String highestTag(Session session, String base) throws RenderException {
        Object tags = parse(session.get(URI.create(base + "/tags/list"), "application/json"), base);
        Object list = tags instanceof Map<?, ?> m ? m.get("tags") : null;
        if (!(list instanceof List<?> names) || names.isEmpty()) {
            throw RenderException.inFile(null, null, "no versions found at " + session.reference);
        }
        return names.stream().map(String::valueOf)
                .max((a, b) -> ChartVersions.compare(a.replace('_', '+'), b.replace('_', '+'))).orElseThrow();
    }

    /** Requests of one pull, sharing the bearer token the registry hands out. */
    private final class Session {
        private final String reference;
        private String token;

        Session(String reference) {
            this.reference = reference;
        }

        byte[] get(URI uri, String accept) throws RenderException {
            HttpResponse<byte[]> response = send(uri, accept);
            if (response.statusCode() == 401 && token == null) {
                token = anonymousToken(response.headers().firstValue("WWW-Authenticate").orElse(""), uri);
                response = send(uri, accept);
            }
            if (response.statusCode() != 200) {
                throw RenderException.inFile(null, null, "GET " + uri + " answered HTTP " + response.statusCode()
                        + " (" + reference + ")");
            }
            return response.body();
        }

        private HttpResponse<byte[]> send(URI uri, String accept) throws RenderException {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            try {
                return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw RenderException.inFile(null, null, "GET " + uri + " failed: " + HttpChartSource.describeFailure(uri, e)
                        + " (" + reference + ")", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RenderException.inFile(null, null, "interrupted while fetching " + uri, e);
            }
        }

        private String anonymousToken(String challenge, URI uri) throws RenderException {
            if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw RenderException.inFile(null, null, "GET " + uri + " needs credentials, which Flotilla does not"
                        + " send to OCI registries yet (" + reference + ")");
            }
            Map<String, String> params = new LinkedHashMap<>();
            Matcher matcher = CHALLENGE_PARAM.matcher(challenge);
            while (matcher.find()) {
                params.put(matcher.group(1), matcher.group(2));
            }
            StringBuilder url = new StringBuilder(params.getOrDefault("realm", ""));
            char separator = url.indexOf("?") < 0 ? '?' : '&';
            for (String key : List.of("service", "scope")) {
                if (params.containsKey(key)) {
                    url.append(separator).append(key).append('=')
                            .append(URLEncoder.encode(params.get(key), StandardCharsets.UTF_8));
                    separator = '&';
                }
            }
            HttpResponse<byte[]> response = send(URI.create(url.toString()), "application/json");
            Object body = response.statusCode() == 200 ? parse(response.body(), url.toString()) : null;
            Object value = null;
            if (body instanceof Map<?, ?> m) {
                value = m.get("token") != null ? m.get("token") : m.get("access_token");
            }
            if (value == null) {
                throw RenderException.inFile(null, null, "the registry refused an anonymous token at " + url
                        + " (HTTP " + response.statusCode() + ") for " + reference);
            }
            return String.valueOf(value);
        }
    }

    private static Object parse(byte[] json, String origin) throws RenderException {
        return ManifestParser.parseSingle(origin + ".json", new String(json, StandardCharsets.UTF_8));
    }

    private static void verify(byte[] archive, String digest, String reference) throws RenderException {
        if (!digest.startsWith("sha256:")) {
            return;
        }
        try {
            String actual = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
            if (!actual.equals(digest)) {
                throw RenderException.inFile(null, null, "chart layer of " + reference + " has digest " + actual
                        + " but the manifest says " + digest);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static boolean isLoopback(String host) {
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.split(":")[0];
        return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
    }
}

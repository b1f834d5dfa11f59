package io.flotilla.manager.git.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Verifies a push webhook and reads it. Pure: headers, raw body and the configured secret in, a
 * {@link PushEvent} out. The provider is told by its event header; the body is parsed only after the signature
 * or token has been checked (HMAC-SHA256 and token comparisons are constant-time).
 */
public final class WebhookVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO_COMMIT = "0000000000000000000000000000000000000000";
    private static final String HEADS = "refs/heads/";

    private WebhookVerifier() {
    }

    /**
     * @param headers HTTP request headers, names in any case
     * @param body    the raw request body, exactly as received
     * @param secret  the configured webhook secret; without one every request is refused
     * @return the push, or empty for a verified request that is not a push (ping, issue, branch deletion, ...)
     * @throws WebhookException 401 when the request cannot be verified, 400 when it is not a webhook we understand
     */
    public static Optional<PushEvent> verify(Map<String, String> headers, byte[] body, String secret)
            throws WebhookException {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        WebhookProvider provider = provider(h);
        if (secret == null || secret.isEmpty()) {
            throw WebhookException.unauthorized("no webhook secret is configured: refusing a " + provider
                    + " webhook that cannot be verified");
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        switch (provider) {
            case GITHUB -> checkHmac(h, "X-Hub-Signature-256", "sha256=", body, key);
            case GITEA -> checkHmac(h, "X-Gitea-Signature", "", body, key);
            case BITBUCKET -> checkHmac(h, "X-Hub-Signature", "sha256=", body, key);
            case GITLAB -> checkToken(h, key);
        }
        JsonNode payload = parse(body);
        return switch (provider) {
            case GITHUB -> "push".equals(h.get("X-GitHub-Event")) ? githubStyle(provider, payload) : Optional.empty();
            case GITEA -> "push".equals(h.get("X-Gitea-Event")) ? githubStyle(provider, payload) : Optional.empty();
            case GITLAB -> isGitlabPush(h.get("X-Gitlab-Event")) ? gitlab(payload) : Optional.empty();
            case BITBUCKET -> switch (h.get("X-Event-Key")) {
                case "repo:push" -> bitbucketCloud(payload);
                case "repo:refs_changed" -> bitbucketServer(payload);
                default -> Optional.empty();
            };
        };
    }

    private static WebhookProvider provider(Map<String, String> h) throws WebhookException {
        // Gitea also sends X-GitHub-Event, so it is asked first
        if (h.containsKey("X-Gitea-Event")) {
            return WebhookProvider.GITEA;
        }
        if (h.containsKey("X-Gitlab-Event")) {
            return WebhookProvider.GITLAB;
        }
        if (h.containsKey("X-GitHub-Event")) {
            return WebhookProvider.GITHUB;
        }
        if (h.containsKey("X-Event-Key")) {
            return WebhookProvider.BITBUCKET;
        }
        throw WebhookException.badRequest("not a known webhook: no X-GitHub-Event, X-Gitlab-Event, X-Gitea-Event "
                + "or X-Event-Key header");
    }

    private static void checkHmac(Map<String, String> h, String header, String prefix, byte[] body, byte[] key)
            throws WebhookException {
        String value = h.get(header);
        if (value == null || value.isBlank()) {
            throw WebhookException.unauthorized("missing " + header + " header: configure the webhook secret at the git host");
        }
        value = value.trim();
        if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw WebhookException.unauthorized(header + " is not an HMAC-SHA256 signature (expected "
                    + (prefix.isEmpty() ? "hex" : prefix + "<hex>") + ")");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value.substring(prefix.length()).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw WebhookException.unauthorized(header + " is not valid hex");
        }
        if (!MessageDigest.isEqual(hmacSha256(key, body), given)) {
            throw WebhookException.unauthorized(header + " does not match the body: wrong secret or forged request");
        }
    }

    private static void checkToken(Map<String, String> h, byte[] key) throws WebhookException {
        String token = h.get("X-Gitlab-Token");
        if (token == null || token.isEmpty()) {
            throw WebhookException.unauthorized("missing X-Gitlab-Token header: configure the webhook secret token at the git host");
        }
        if (!MessageDigest.isEqual(key, token.getBytes(StandardCharsets.UTF_8))) {
            throw WebhookException.unauthorized("X-Gitlab-Token does not match: wrong secret or forged request");
        }
    }

    private static byte[] hmacSha256(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    private static JsonNode parse(byte[] body) throws WebhookException {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw WebhookException.badRequest("webhook body is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw WebhookException.badRequest("webhook body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw WebhookException.badRequest("webhook body cannot be read: " + e.getMessage());
        }
    }

    private static boolean isGitlabPush(String event) {
        return "Push Hook".equals(event) || "Tag Push Hook".equals(event);
    }

    /** GitHub and Gitea share the push payload shape. */
    private static Optional<PushEvent> githubStyle(WebhookProvider provider, JsonNode p) {
        JsonNode repo = p.path("repository");
        return push(provider, urls(repo, "html_url", "clone_url", "ssh_url", "git_url", "svn_url", "url"),
                text(p, "ref"), text(p, "after"));
    }

    private static Optional<PushEvent> gitlab(JsonNode p) {
        List<String> urls = urls(p.path("project"), "web_url", "git_http_url", "git_ssh_url", "http_url", "ssh_url");
        urls.addAll(urls(p.path("repository"), "homepage", "git_http_url", "git_ssh_url", "url"));
        String commit = text(p, "checkout_sha") != null ? text(p, "checkout_sha") : text(p, "after");
        return push(WebhookProvider.GITLAB, urls, text(p, "ref"), commit);
    }

    private static Optional<PushEvent> bitbucketCloud(JsonNode p) {
        JsonNode repo = p.path("repository");
        List<String> urls = urls(repo.path("links").path("html"), "href");
        for (JsonNode clone : repo.path("links").path("clone")) {
            urls.addAll(urls(clone, "href"));
        }
        for (JsonNode change : p.path("push").path("changes")) {
            JsonNode after = change.path("new");
            if (after.isObject()) {
                String ref = ("tag".equals(text(after, "type")) ? "refs/tags/" : HEADS) + text(after, "name");
                return push(WebhookProvider.BITBUCKET, urls, ref, text(after.path("target"), "hash"));
            }
        }
        return Optional.empty();
    }

    private static Optional<PushEvent> bitbucketServer(JsonNode p) {
        List<String> urls = new ArrayList<>();
        for (JsonNode clone : p.path("repository").path("links").path("clone")) {
            urls.addAll(urls(clone, "href"));
        }
        for (JsonNode change : p.path("changes")) {
            if (!"DELETE".equals(text(change, "type"))) {
                return push(WebhookProvider.BITBUCKET, urls, text(change.path("ref"), "id"), text(change, "toHash"));
            }
        }
        return Optional.empty();
    }

    private static Optional<PushEvent> push(WebhookProvider provider, List<String> urls, String ref, String commit) {
        if (ZERO_COMMIT.equals(commit)) {
            return Optional.empty();
        }
        String branch = ref != null && ref.startsWith(HEADS) ? ref.substring(HEADS.length()) : null;
        Set<String> distinct = new LinkedHashSet<>(urls);
        return Optional.of(new PushEvent(provider, List.copyOf(distinct), branch, commit));
    }

    private static List<String> urls(JsonNode node, String... fields) {
        List<String> urls = new ArrayList<>();
        for (String field : fields) {
            String url = text(node, field);
            if (url != null && !url.isBlank()) {
                urls.add(url);
            }
        }
        return urls;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}

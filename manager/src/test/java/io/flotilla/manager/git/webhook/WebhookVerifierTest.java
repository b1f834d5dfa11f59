package io.flotilla.manager.git.webhook;

import io.flotilla.manager.git.GitSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class WebhookVerifierTest {
    private static final String SECRET = "webhook-secret";
    private static final String SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";

    private static final String GITHUB_PUSH = """
            {"ref":"refs/heads/main","after":"%s","repository":{"html_url":"https://github.com/org/app",
             "clone_url":"https://github.com/org/app.git","ssh_url":"git@github.com:org/app.git"}}""".formatted(SHA);
    private static final String GITHUB_TAG_PUSH = GITHUB_PUSH.replace("refs/heads/main", "refs/tags/v1.0.0");
    private static final String GITHUB_DELETE = GITHUB_PUSH.replace(SHA, "0000000000000000000000000000000000000000");
    private static final String GITLAB_PUSH = """
            {"object_kind":"push","ref":"refs/heads/dev","checkout_sha":"%s","after":"%s",
             "project":{"web_url":"https://gitlab.example.com/group/app","git_http_url":"https://gitlab.example.com/group/app.git",
             "git_ssh_url":"git@gitlab.example.com:group/app.git"}}""".formatted(SHA, SHA);
    private static final String GITEA_PUSH = """
            {"ref":"refs/heads/main","after":"%s","repository":{"html_url":"https://gitea.example.com/org/app",
             "clone_url":"https://gitea.example.com/org/app.git","ssh_url":"ssh://git@gitea.example.com:2222/org/app.git"}}"""
            .formatted(SHA);
    private static final String BITBUCKET_CLOUD_PUSH = """
            {"repository":{"full_name":"team/app","links":{"html":{"href":"https://bitbucket.org/team/app"}}},
             "push":{"changes":[{"new":{"type":"branch","name":"main","target":{"hash":"%s"}},"old":null}]}}"""
            .formatted(SHA);
    private static final String BITBUCKET_SERVER_PUSH = """
            {"eventKey":"repo:refs_changed","repository":{"links":{"clone":[
               {"href":"ssh://git@bitbucket.example.com:7999/proj/app.git","name":"ssh"},
               {"href":"https://bitbucket.example.com/scm/proj/app.git","name":"http"}]}},
             "changes":[{"ref":{"id":"refs/heads/release","displayId":"release","type":"BRANCH"},
               "fromHash":"1111111111111111111111111111111111111111","toHash":"%s","type":"UPDATE"}]}""".formatted(SHA);

    static Stream<Arguments> verified() {
        return Stream.of(
                arguments("github push", headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac(SECRET, GITHUB_PUSH)),
                        GITHUB_PUSH, Optional.of(new PushEvent(WebhookProvider.GITHUB,
                                List.of("https://github.com/org/app", "https://github.com/org/app.git", "git@github.com:org/app.git"),
                                "main", SHA))),
                arguments("header names in any case", headers("x-github-event", "push", "x-hub-signature-256", "SHA256=" + hmac(SECRET, GITHUB_PUSH).toUpperCase()),
                        GITHUB_PUSH, Optional.of(new PushEvent(WebhookProvider.GITHUB,
                                List.of("https://github.com/org/app", "https://github.com/org/app.git", "git@github.com:org/app.git"),
                                "main", SHA))),
                arguments("github tag push has no branch", headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac(SECRET, GITHUB_TAG_PUSH)),
                        GITHUB_TAG_PUSH, Optional.of(new PushEvent(WebhookProvider.GITHUB,
                                List.of("https://github.com/org/app", "https://github.com/org/app.git", "git@github.com:org/app.git"),
                                null, SHA))),
                arguments("github branch deletion is ignored", headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac(SECRET, GITHUB_DELETE)),
                        GITHUB_DELETE, Optional.empty()),
                arguments("github ping is ignored", headers("X-GitHub-Event", "ping", "X-Hub-Signature-256", "sha256=" + hmac(SECRET, "{\"zen\":\"hi\"}")),
                        "{\"zen\":\"hi\"}", Optional.empty()),
                arguments("gitlab push", headers("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET),
                        GITLAB_PUSH, Optional.of(new PushEvent(WebhookProvider.GITLAB,
                                List.of("https://gitlab.example.com/group/app", "https://gitlab.example.com/group/app.git",
                                        "git@gitlab.example.com:group/app.git"), "dev", SHA))),
                arguments("gitlab merge request is ignored", headers("X-Gitlab-Event", "Merge Request Hook", "X-Gitlab-Token", SECRET),
                        "{\"object_kind\":\"merge_request\"}", Optional.empty()),
                arguments("gitea push (it also sends X-GitHub-Event)", headers("X-Gitea-Event", "push", "X-GitHub-Event", "push",
                                "X-Gitea-Signature", hmac(SECRET, GITEA_PUSH)),
                        GITEA_PUSH, Optional.of(new PushEvent(WebhookProvider.GITEA,
                                List.of("https://gitea.example.com/org/app", "https://gitea.example.com/org/app.git",
                                        "ssh://git@gitea.example.com:2222/org/app.git"), "main", SHA))),
                arguments("gitea issue is ignored", headers("X-Gitea-Event", "issues", "X-Gitea-Signature", hmac(SECRET, "{}")),
                        "{}", Optional.empty()),
                arguments("bitbucket cloud push", headers("X-Event-Key", "repo:push", "X-Hub-Signature", "sha256=" + hmac(SECRET, BITBUCKET_CLOUD_PUSH)),
                        BITBUCKET_CLOUD_PUSH, Optional.of(new PushEvent(WebhookProvider.BITBUCKET,
                                List.of("https://bitbucket.org/team/app"), "main", SHA))),
                arguments("bitbucket server push", headers("X-Event-Key", "repo:refs_changed", "X-Hub-Signature", "sha256=" + hmac(SECRET, BITBUCKET_SERVER_PUSH)),
                        BITBUCKET_SERVER_PUSH, Optional.of(new PushEvent(WebhookProvider.BITBUCKET,
                                List.of("ssh://git@bitbucket.example.com:7999/proj/app.git", "https://bitbucket.example.com/scm/proj/app.git"),
                                "release", SHA))),
                arguments("bitbucket ping is ignored", headers("X-Event-Key", "diagnostics:ping", "X-Hub-Signature", "sha256=" + hmac(SECRET, "{\"test\":true}")),
                        "{\"test\":true}", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verified")
    void readsVerifiedWebhooks(String name, Map<String, String> headers, String body, Optional<PushEvent> expected)
            throws WebhookException {
        assertThat(WebhookVerifier.verify(headers, bytes(body), SECRET)).isEqualTo(expected);
    }

    static Stream<Arguments> refused() {
        String otherSecret = "not-the-secret";
        return Stream.of(
                arguments("github forged signature", headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac(otherSecret, GITHUB_PUSH)),
                        GITHUB_PUSH, SECRET, 401, "X-Hub-Signature-256 does not match the body: wrong secret or forged request"),
                arguments("github body changed after signing", headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac(SECRET, GITHUB_PUSH)),
                        GITHUB_PUSH.replace("main", "evil"), SECRET, 401, "X-Hub-Signature-256 does not match the body"),
                arguments("github wrong configured secret", headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac(SECRET, GITHUB_PUSH)),
                        GITHUB_PUSH, otherSecret, 401, "X-Hub-Signature-256 does not match the body"),
                arguments("github missing signature", headers("X-GitHub-Event", "push"),
                        GITHUB_PUSH, SECRET, 401, "missing X-Hub-Signature-256 header"),
                arguments("github sha1 signature only", headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha1=abcdef"),
                        GITHUB_PUSH, SECRET, 401, "X-Hub-Signature-256 is not an HMAC-SHA256 signature (expected sha256=<hex>)"),
                arguments("github signature not hex", headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=zz"),
                        GITHUB_PUSH, SECRET, 401, "X-Hub-Signature-256 is not valid hex"),
                arguments("github forged ping", headers("X-GitHub-Event", "ping", "X-Hub-Signature-256", "sha256=" + hmac(otherSecret, "{}")),
                        "{}", SECRET, 401, "does not match"),
                arguments("gitlab wrong token", headers("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", otherSecret),
                        GITLAB_PUSH, SECRET, 401, "X-Gitlab-Token does not match: wrong secret or forged request"),
                arguments("gitlab missing token", headers("X-Gitlab-Event", "Push Hook"),
                        GITLAB_PUSH, SECRET, 401, "missing X-Gitlab-Token header"),
                arguments("gitea forged signature", headers("X-Gitea-Event", "push", "X-Gitea-Signature", hmac(otherSecret, GITEA_PUSH)),
                        GITEA_PUSH, SECRET, 401, "X-Gitea-Signature does not match the body"),
                arguments("gitea with only a GitHub signature", headers("X-Gitea-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac(SECRET, GITEA_PUSH)),
                        GITEA_PUSH, SECRET, 401, "missing X-Gitea-Signature header"),
                arguments("bitbucket forged signature", headers("X-Event-Key", "repo:push", "X-Hub-Signature", "sha256=" + hmac(otherSecret, BITBUCKET_CLOUD_PUSH)),
                        BITBUCKET_CLOUD_PUSH, SECRET, 401, "X-Hub-Signature does not match the body"),
                arguments("bitbucket missing signature", headers("X-Event-Key", "repo:push"),
                        BITBUCKET_CLOUD_PUSH, SECRET, 401, "missing X-Hub-Signature header"),
                arguments("no secret configured", headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac("", GITHUB_PUSH)),
                        GITHUB_PUSH, "", 401, "no webhook secret is configured: refusing a GITHUB webhook that cannot be verified"),
                arguments("unknown sender", headers("X-Custom-Event", "push"),
                        GITHUB_PUSH, SECRET, 400, "not a known webhook"),
                arguments("signed body that is not JSON", headers("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + hmac(SECRET, "not json")),
                        "not json", SECRET, 400, "webhook body is not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesUnverifiableWebhooks(String name, Map<String, String> headers, String body, String secret, int status,
                                     String message) {
        WebhookException e = catchThrowableOfType(WebhookException.class,
                () -> WebhookVerifier.verify(headers, bytes(body), secret));
        assertThat(e).as(name).isNotNull();
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.getMessage()).contains(message).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            https://github.com/org/app.git           | github.com/org/app
            https://user:token@GitHub.com/Org/App/   | github.com/org/app
            http://github.com:80/org/app             | github.com/org/app
            git@github.com:org/app.git               | github.com/org/app
            ssh://git@github.com:22/org/app.git      | github.com/org/app
            git://github.com/org/app                 | github.com/org/app
            https://gitlab.example.com/group/sub/app | gitlab.example.com/group/sub/app
            ssh://git@[::1]:2222/repo.git            | [::1]/repo
            https://github.com                       | null
            not a url                                | null
            ''                                       | null
            """)
    void normalisesRepositoryUrls(String url, String expected) {
        assertThat(RepoUrls.normalise(url)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            git@github.com:org/app.git              | main   | null | main | true
            https://GITHUB.com/org/app/             | null   | null | main | true
            ssh://git@github.com/org/app            | null   | v1.0 | main | true
            https://github.com/org/app.git          | dev    | null | main | false
            https://github.com/org/app.git          | main   | null | null | true
            https://github.com/org/other.git        | main   | null | main | false
            https://gitlab.com/org/app.git          | main   | null | main | false
            """)
    void matchesPushesToSources(String sourceUrl, String sourceBranch, String revision, String pushedBranch, boolean matches) {
        PushEvent push = new PushEvent(WebhookProvider.GITHUB,
                List.of("https://github.com/org/app", "https://github.com/org/app.git", "git@github.com:org/app.git"),
                pushedBranch, SHA);
        GitSource source = new GitSource("ns/app", sourceUrl, sourceBranch, revision, null, false, null);
        assertThat(push.matches(source)).isEqualTo(matches);
    }

    private static Map<String, String> headers(String... nameValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        headers.put("Content-Type", "application/json");
        return headers;
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.isEmpty() ? new byte[1] : secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(bytes(body)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

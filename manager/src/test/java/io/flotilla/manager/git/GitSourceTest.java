package io.flotilla.manager.git;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GitSourceTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            main | null   | main   | null
            main | v1.0   | main   | null
            null | v1.0   | null   | v1.0
            ''   | v1.0   | null   | v1.0
            null | null   | master | null
            '  ' | ''     | master | null
            """)
    void appliesFleetBranchAndRevisionRules(String branch, String revision, String expectedBranch, String expectedRevision) {
        GitSource source = GitSource.forGitRepo("ns/app", "https://example.com/app.git", branch, revision, null, false, null);
        assertThat(source.branch()).isEqualTo(expectedBranch);
        assertThat(source.revision()).isEqualTo(expectedRevision);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            https://user:pa55@example.com/app.git       | https://example.com/app.git
            https://ghp_token@example.com/app.git       | https://example.com/app.git
            http://example.com:8080/app.git             | http://example.com:8080/app.git
            ssh://git:pa55@example.com:2222/app.git     | ssh://git@example.com:2222/app.git
            ssh://git@example.com/app.git               | ssh://git@example.com/app.git
            git@example.com:org/app.git                 | git@example.com:org/app.git
            https://example.com/path/with@sign/app.git  | https://example.com/path/with@sign/app.git
            """)
    void redactsCredentialsInUrls(String url, String redacted) {
        assertThat(GitUrls.redact(url)).isEqualTo(redacted);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            https://user:pa55@example.com/app.git   | pa55,user
            https://ghp_token@example.com/app.git   | ghp_token
            ssh://git:pa55@example.com/app.git      | pa55
            ssh://git@example.com/app.git           | ''
            https://example.com/app.git             | ''
            """)
    void findsSecretsInUrls(String url, String secrets) {
        assertThat(GitUrls.secretsIn(url)).isEqualTo(secrets.isEmpty() ? List.of() : List.of(secrets.split(",")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            https://example.com/app.git | https
            HTTP://example.com/app.git  | http
            ssh://git@example.com/app   | ssh
            git@example.com:org/app.git | ssh
            git://example.com/app       | git
            file:///srv/git/app.git     | file
            ftp://example.com/app.git   | null
            /srv/git/app.git            | null
            not a url                   | null
            """)
    void recognisesSupportedSchemes(String url, String scheme) {
        assertThat(GitUrls.scheme(url)).isEqualTo(scheme);
    }

    @Test
    void cacheDirectoryNamesAreSafeAndDifferPerUrl() {
        String a = GitUrls.cacheDirName("fleet-local/my app/../x", "https://example.com/a.git");
        String b = GitUrls.cacheDirName("fleet-local/my app/../x", "https://example.com/b.git");
        assertThat(a).matches("fleet-local_my_app_.._x-[0-9a-f]{8}");
        assertThat(a).isNotEqualTo(b);
        assertThat(GitUrls.cacheDirName("ns/x", "https://example.com/a.git"))
                .isEqualTo(GitUrls.cacheDirName("ns/x", "https://example.com/a.git"));
    }

    @Test
    void toStringNeverShowsSecrets() {
        GitCredentials credentials = new GitCredentials("alice", "p4ssw0rd-value",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nKEYMATERIAL\n-----END OPENSSH PRIVATE KEY-----\n",
                "example.com ssh-ed25519 AAAA\n");
        GitSource source = new GitSource("ns/app", "https://alice:url-password@example.com/app.git", "main", null,
                credentials, false, null);

        assertThat(credentials.toString()).isEqualTo(
                "GitCredentials[username=alice, password=***, sshPrivateKey=***, knownHosts=1 lines]");
        assertThat(source.toString()).contains("url=https://example.com/app.git")
                .doesNotContain("p4ssw0rd-value", "KEYMATERIAL", "url-password");
        assertThat(new GitFetchException(GitFetchException.Reason.OTHER, "x").toString())
                .isEqualTo("GitFetchException[OTHER]: x");
    }
}

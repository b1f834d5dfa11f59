package io.flotilla.manager.git;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which remotes a GitRepo may make the manager contact (literal addresses: no DNS needed). */
class GitAccessPolicyTest {
    @ParameterizedTest(name = "{0}: strict={1} loopback allowed={2} everything allowed={3}")
    @CsvSource(nullValues = "-", value = {
            "file:///etc/secret-repo,                       file://,        file://,      -",
            "https://93.184.216.34/org/repo.git,            -,              -,            -",
            "http://127.0.0.1:8080/repo.git,                this machine,   -,            -",
            "http://127.1.2.3/repo.git,                     this machine,   -,            -",
            "git://[::1]/repo.git,                          this machine,   -,            -",
            "http://localhost/repo.git,                     this machine,   -,            -",
            "http://169.254.169.254/latest/meta-data,       link-local,     -,            -",
            "http://0.0.0.0:9000/repo.git,                  this machine,   -,            -",
            "https://10.1.2.3/repo.git,                     private,        private,      -",
            "ssh://git@172.20.0.5/repo.git,                 private,        private,      -",
            "git@192.168.1.10:org/repo.git,                 private,        private,      -",
            "https://[fd12:3456::1]/repo.git,               private,        private,      -",
            "https://100.64.0.1/repo.git,                   private,        private,      -",
            "https://172.32.0.1/repo.git,                   -,              -,            -",
            "not a url at all,                              -,              -,            -",
    })
    void refusals(String url, String strict, String loopbackAllowed, String everything) {
        check(GitAccessPolicy.strict(), url, strict);
        check(GitAccessPolicy.allowingLoopback(), url, loopbackAllowed);
        check(new GitAccessPolicy(true, true, true), url, everything);
    }

    private static void check(GitAccessPolicy policy, String url, String expected) {
        String refusal = policy.refusal(url);
        if (expected == null) {
            assertThat(refusal).as(policy + " " + url).isNull();
        } else {
            assertThat(refusal).as(policy + " " + url).isNotNull().contains(expected).contains("--allow-");
        }
    }
}

package io.flotilla.manager.policy;

import io.flotilla.manager.policy.GitRepoRestrictions.Decision;
import io.flotilla.manager.policy.GitRepoRestrictions.GitRepoFacts;
import io.flotilla.manager.policy.GitRepoRestrictions.Restriction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** GitRepoRestriction (fleet-semantics §2.6) as a table. */
class GitRepoRestrictionsTest {
    private static final String REPO = "https://git.example.com/team-a/apps.git";

    private static Restriction repos(String name, String... patterns) {
        return new Restriction(name, null, List.of(patterns), null, null, null, null);
    }

    private static Restriction namespaces(String name, String... allowed) {
        return new Restriction(name, null, null, null, List.of(allowed), null, null);
    }

    private static Restriction serviceAccounts(String name, String defaultSa, String... allowed) {
        return new Restriction(name, List.of(allowed), null, null, null, defaultSa, null);
    }

    private static Restriction secrets(String name, String defaultSecret, String... allowed) {
        return new Restriction(name, null, null, List.of(allowed), null, null, defaultSecret);
    }

    static Stream<Arguments> cases() {
        GitRepoFacts plain = new GitRepoFacts(REPO, null, null, null);
        return Stream.of(
                Arguments.of("no restriction: accepted as written", List.of(), plain, null, null, null),
                Arguments.of("repo matches a pattern", List.of(repos("r", "^https://git\\.example\\.com/team-a/")),
                        plain, null, null, null),
                Arguments.of("repo matches none", List.of(repos("r", "^https://git\\.example\\.com/team-b/")), plain,
                        "repo \"" + REPO + "\" is not allowed by allowedRepoPatterns [^https://git\\.example\\.com/team-b/]"
                                + " of GitRepoRestriction r", null, null),
                Arguments.of("patterns of several restrictions are joined", List.of(repos("b", "team-b"),
                        repos("a", "team-a")), plain, null, null, null),
                Arguments.of("patterns are unanchored, as in Fleet", List.of(repos("r", "team-a")), plain, null, null,
                        null),
                Arguments.of("empty targetNamespace denied once namespaces are restricted",
                        List.of(namespaces("ns", "apps")), plain,
                        "empty targetNamespace denied: allowedTargetNamespaces [apps] of GitRepoRestriction ns requires "
                                + "one of them", null, null),
                Arguments.of("allowed targetNamespace", List.of(namespaces("ns", "apps", "web")),
                        new GitRepoFacts(REPO, null, null, "web"), null, null, null),
                Arguments.of("disallowed targetNamespace names both restrictions", List.of(namespaces("x", "apps"),
                        namespaces("y", "web")), new GitRepoFacts(REPO, null, null, "kube-system"),
                        "targetNamespace \"kube-system\" is not allowed by allowedTargetNamespaces [apps, web] of "
                                + "GitRepoRestrictions x, y", null, null),
                Arguments.of("default service account fills an empty one and is allowed",
                        List.of(serviceAccounts("sa", "deployer", "deployer", "admin")), plain, null, "deployer", null),
                Arguments.of("a given service account outside the list",
                        List.of(serviceAccounts("sa", "deployer", "deployer")), new GitRepoFacts(REPO, "root", null, null),
                        "serviceAccount \"root\" is not allowed by allowedServiceAccounts [deployer] of "
                                + "GitRepoRestriction sa", "root", null),
                Arguments.of("no service account and no default", List.of(serviceAccounts("sa", null, "deployer")),
                        plain, "empty serviceAccount denied: allowedServiceAccounts [deployer] of GitRepoRestriction sa "
                                + "requires one of them", null, null),
                Arguments.of("first default by restriction name", List.of(serviceAccounts("b", "second"),
                        serviceAccounts("a", "first")), plain, null, "first", null),
                Arguments.of("default client secret, allowed", List.of(secrets("s", "git-creds", "git-creds")), plain,
                        null, null, "git-creds"),
                Arguments.of("client secret outside the list", List.of(secrets("s", null, "git-creds")),
                        new GitRepoFacts(REPO, null, "other", null), "clientSecretName \"other\" is not allowed by "
                                + "allowedClientSecretNames [git-creds] of GitRepoRestriction s", null, "other"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, List<Restriction> restrictions, GitRepoFacts gitRepo, String refusal,
                 String serviceAccount, String clientSecret) {
        Decision d = GitRepoRestrictions.decide(restrictions, gitRepo);
        assertThat(d.refusal()).isEqualTo(refusal);
        assertThat(d.accepted()).isEqualTo(refusal == null);
        assertThat(d.serviceAccount()).isEqualTo(serviceAccount);
        assertThat(d.clientSecretName()).isEqualTo(clientSecret);
    }
}

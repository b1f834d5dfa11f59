package io.flotilla.manager.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Fleet's GitRepoRestriction (fleet-semantics §2.6): the restrictions of a namespace, merged (allowed lists joined,
 * the first default that is set, by restriction name), decide whether a GitRepo of that namespace is accepted and
 * which service account and client secret it uses when it names none. A refusal names the rule and the restrictions
 * that set it. Pure: plain values in, a decision out.
 */
public final class GitRepoRestrictions {
    private GitRepoRestrictions() {
    }

    /** One GitRepoRestriction object; null lists are empty, null defaults unset. */
    public record Restriction(String name, List<String> allowedServiceAccounts, List<String> allowedRepoPatterns,
                              List<String> allowedClientSecretNames, List<String> allowedTargetNamespaces,
                              String defaultServiceAccount, String defaultClientSecretName) {
        public Restriction {
            allowedServiceAccounts = allowedServiceAccounts == null ? List.of() : List.copyOf(allowedServiceAccounts);
            allowedRepoPatterns = allowedRepoPatterns == null ? List.of() : List.copyOf(allowedRepoPatterns);
            allowedClientSecretNames = allowedClientSecretNames == null ? List.of()
                    : List.copyOf(allowedClientSecretNames);
            allowedTargetNamespaces = allowedTargetNamespaces == null ? List.of() : List.copyOf(allowedTargetNamespaces);
        }
    }

    /** What of a GitRepo's spec the restrictions look at; null or empty strings are "not set". */
    public record GitRepoFacts(String repo, String serviceAccount, String clientSecretName, String targetNamespace) {
    }

    /**
     * @param refusal          null when accepted, else the reason, naming the rule
     * @param serviceAccount   the GitRepo's service account, or the default when it names none (may be null)
     * @param clientSecretName the GitRepo's client secret, or the default when it names none (may be null)
     */
    public record Decision(String refusal, String serviceAccount, String clientSecretName) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    public static Decision decide(List<Restriction> restrictions, GitRepoFacts gitRepo) {
        String serviceAccount = blankToNull(gitRepo.serviceAccount());
        String clientSecret = blankToNull(gitRepo.clientSecretName());
        if (restrictions.isEmpty()) {
            return new Decision(null, serviceAccount, clientSecret);
        }
        List<Restriction> sorted = new ArrayList<>(restrictions);
        sorted.sort(Comparator.comparing(Restriction::name));
        if (serviceAccount == null) {
            serviceAccount = first(sorted, true);
        }
        if (clientSecret == null) {
            clientSecret = first(sorted, false);
        }
        String refusal = check(sorted, "allowedServiceAccounts", Restriction::allowedServiceAccounts, serviceAccount,
                "serviceAccount");
        if (refusal == null) {
            refusal = checkRepo(sorted, gitRepo.repo());
        }
        if (refusal == null) {
            refusal = check(sorted, "allowedClientSecretNames", Restriction::allowedClientSecretNames, clientSecret,
                    "clientSecretName");
        }
        if (refusal == null) {
            refusal = check(sorted, "allowedTargetNamespaces", Restriction::allowedTargetNamespaces,
                    blankToNull(gitRepo.targetNamespace()), "targetNamespace");
        }
        return new Decision(refusal, serviceAccount, clientSecret);
    }

    private static String first(List<Restriction> sorted, boolean serviceAccount) {
        for (Restriction r : sorted) {
            String v = blankToNull(serviceAccount ? r.defaultServiceAccount() : r.defaultClientSecretName());
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private interface Field {
        List<String> of(Restriction r);
    }

    /** An allow-list field: with no restriction setting it anything goes; else the value must be one of the list. */
    private static String check(List<Restriction> sorted, String field, Field get, String value, String what) {
        List<String> allowed = new ArrayList<>();
        List<String> from = new ArrayList<>();
        for (Restriction r : sorted) {
            if (!get.of(r).isEmpty()) {
                allowed.addAll(get.of(r));
                from.add(r.name());
            }
        }
        if (allowed.isEmpty()) {
            return null;
        }
        if (value == null) {
            return "empty " + what + " denied: " + rule(field, allowed, from) + " requires one of them";
        }
        if (allowed.contains(value)) {
            return null;
        }
        return what + " \"" + value + "\" is not allowed by " + rule(field, allowed, from);
    }

    private static String checkRepo(List<Restriction> sorted, String repo) {
        List<String> patterns = new ArrayList<>();
        List<String> from = new ArrayList<>();
        for (Restriction r : sorted) {
            if (!r.allowedRepoPatterns().isEmpty()) {
                patterns.addAll(r.allowedRepoPatterns());
                from.add(r.name());
            }
        }
        if (patterns.isEmpty()) {
            return null;
        }
        String value = repo == null ? "" : repo;
        for (String p : patterns) {
            try {
                // unanchored, like Go's regexp.MatchString in Fleet: anchor with ^ and $ to match the whole URL
                if (Pattern.compile(p).matcher(value).find()) {
                    return null;
                }
            } catch (PatternSyntaxException invalid) {
                // an invalid pattern allows nothing; the API refuses them, so only hand-written stores hold one
            }
        }
        return "repo \"" + value + "\" is not allowed by " + rule("allowedRepoPatterns", patterns, from);
    }

    private static String rule(String field, List<String> allowed, List<String> from) {
        return field + " " + allowed + " of GitRepoRestriction" + (from.size() > 1 ? "s " : " ") + String.join(", ", from);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

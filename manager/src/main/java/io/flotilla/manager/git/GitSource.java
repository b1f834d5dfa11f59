package io.flotilla.manager.git;

import java.util.Objects;

/**
 * What to fetch.
 *
 * @param repoKey               {@code namespace/name} of the GitRepo; names the cache directory and appears in logs
 * @param url                   https, http, ssh (also scp-like {@code git@host:path}), git or file URL
 * @param branch                branch to follow; {@code null} = the remote's default branch (its HEAD)
 * @param revision              commit id or tag; used only when {@code branch} is null
 * @param credentials           nullable
 * @param insecureSkipTLSVerify HTTPS: accept any server certificate and host name
 * @param caBundlePem           HTTPS: extra trusted CA certificates (PEM), nullable
 */
public record GitSource(String repoKey, String url, String branch, String revision, GitCredentials credentials,
                        boolean insecureSkipTLSVerify, String caBundlePem) {

    /** Fleet's default when a GitRepo sets neither branch nor revision (§1.1). */
    public static final String FLEET_DEFAULT_BRANCH = "master";

    public GitSource {
        Objects.requireNonNull(repoKey, "repoKey");
        Objects.requireNonNull(url, "url");
        branch = blankToNull(branch);
        revision = blankToNull(revision);
        caBundlePem = blankToNull(caBundlePem);
    }

    /**
     * Builds the source for a GitRepo spec following fleet-semantics §1.1: branch wins over revision when both
     * are set, and with neither the branch is {@code master} (not the remote's default branch).
     */
    public static GitSource forGitRepo(String repoKey, String repo, String branch, String revision,
                                       GitCredentials credentials, boolean insecureSkipTLSVerify, String caBundlePem) {
        String b = blankToNull(branch);
        String r = blankToNull(revision);
        if (b != null) {
            r = null;
        } else if (r == null) {
            b = FLEET_DEFAULT_BRANCH;
        }
        return new GitSource(repoKey, repo, b, r, credentials, insecureSkipTLSVerify, caBundlePem);
    }

    /** The URL without any password or token, for messages and logs. */
    public String safeUrl() {
        return GitUrls.redact(url);
    }

    @Override
    public String toString() {
        return "GitSource[repoKey=" + repoKey + ", url=" + safeUrl() + ", branch=" + branch + ", revision=" + revision
                + ", credentials=" + credentials + ", insecureSkipTLSVerify=" + insecureSkipTLSVerify
                + ", caBundle=" + (caBundlePem == null ? "none" : "set") + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

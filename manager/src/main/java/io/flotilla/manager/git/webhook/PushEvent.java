package io.flotilla.manager.git.webhook;

import io.flotilla.manager.git.GitSource;

import java.util.List;
import java.util.Objects;

/**
 * A verified push.
 *
 * @param provider who sent it
 * @param repoUrls every URL of the pushed repository found in the payload (web, https clone, ssh clone)
 * @param branch   pushed branch ({@code refs/heads/<branch>}), {@code null} for a tag push
 * @param commit   the new commit id, {@code null} when the payload has none
 */
public record PushEvent(WebhookProvider provider, List<String> repoUrls, String branch, String commit) {
    public PushEvent {
        Objects.requireNonNull(provider, "provider");
        repoUrls = List.copyOf(repoUrls);
    }

    /**
     * Whether this push may change what {@code source} checks out: same repository (see {@link RepoUrls}) and,
     * when both name a branch, the same branch. Sources that follow the default branch or a revision match any
     * push to their repository.
     */
    public boolean matches(GitSource source) {
        boolean sameRepo = repoUrls.stream().anyMatch(url -> RepoUrls.sameRepository(url, source.url()));
        return sameRepo && (branch == null || source.branch() == null || branch.equals(source.branch()));
    }
}

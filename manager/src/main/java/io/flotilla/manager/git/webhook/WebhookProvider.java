package io.flotilla.manager.git.webhook;

/** Git hosts whose push webhooks {@link WebhookVerifier} understands. */
public enum WebhookProvider {
    /** {@code X-GitHub-Event}, signed with {@code X-Hub-Signature-256: sha256=<hmac hex>}. */
    GITHUB,
    /** {@code X-Gitlab-Event}, authenticated with {@code X-Gitlab-Token: <secret>}. */
    GITLAB,
    /** {@code X-Gitea-Event}, signed with {@code X-Gitea-Signature: <hmac hex>}. */
    GITEA,
    /** {@code X-Event-Key} (Cloud {@code repo:push}, Server {@code repo:refs_changed}), signed with {@code X-Hub-Signature: sha256=<hmac hex>}. */
    BITBUCKET
}

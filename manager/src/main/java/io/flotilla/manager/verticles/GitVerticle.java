package io.flotilla.manager.verticles;

import io.flotilla.manager.api.Kind;
import io.flotilla.manager.gitops.GitRepoController;
import io.flotilla.manager.store.Store;
import io.vertx.core.Future;

/** Follows every GitRepo (polling, webhooks, spec changes) and turns commits into Bundles. */
public final class GitVerticle extends ControllerVerticle {
    private final Store store;
    private final GitRepoController gitRepos;

    public GitVerticle(Store store, GitRepoController gitRepos) {
        this.store = store;
        this.gitRepos = gitRepos;
    }

    @Override
    protected void startBlocking() {
        store.addListener(gitRepos);
        gitRepos.start(store.list(Kind.GIT_REPO, null));
    }

    @Override
    public Future<?> stop() {
        store.removeListener(gitRepos);
        return gitRepos.stop();
    }

    @Override
    protected void stopBlocking() {
        // stop() is asynchronous: see above
    }
}

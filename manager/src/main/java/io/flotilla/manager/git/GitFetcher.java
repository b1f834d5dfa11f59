package io.flotilla.manager.git;

/** Brings a git source into a local checkout. Implementations are blocking: call them from a worker pool. */
public interface GitFetcher {

    /** Blocking. Clones or fetches into the cache and checks out the wanted commit; returns where and which. */
    FetchResult fetch(GitSource source) throws GitFetchException;

    /** Cheap check of the remote head (ls-remote) so polling does not fetch when nothing changed. */
    String remoteCommit(GitSource source) throws GitFetchException;
}

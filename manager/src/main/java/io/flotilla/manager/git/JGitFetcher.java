package io.flotilla.manager.git;

import io.flotilla.manager.git.GitFetchException.Reason;
import io.flotilla.manager.git.RemoteRefs.Target;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link GitFetcher} on JGit with a clone cache: one working tree per GitRepo and URL under the cache directory,
 * named {@code <sanitised repoKey>-<short hash of url>}. An existing clone is fetched into (also after a restart);
 * a clone that cannot be read is deleted and cloned again. Fetches are shallow (depth 1) except when a commit id
 * is not reachable that way. Calls for the same cache directory are serialised; different ones run in parallel.
 */
public final class JGitFetcher implements GitFetcher {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(JGitFetcher.class);
    /** Shared by all instances: two fetchers on one cache directory must not interleave either. */
    private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static final String FETCHED_REF = "refs/flotilla/fetched";
    private static final String REMOTE_BRANCHES = "refs/flotilla/heads/";
    private static final String REMOTE_TAGS = "refs/flotilla/tags/";

    private final Path cacheDir;
    private final Duration timeout;

    private JGitFetcher(Path cacheDir, Duration timeout) {
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public static JGitFetcher create(Path cacheDir) {
        return new JGitFetcher(cacheDir, DEFAULT_TIMEOUT);
    }

    /** @param timeout network timeout of each git operation */
    public static JGitFetcher create(Path cacheDir, Duration timeout) {
        return new JGitFetcher(cacheDir, timeout);
    }

    /** Where {@link #fetch} checks {@code source} out. */
    public Path checkoutDir(GitSource source) {
        return cacheDir.resolve(GitUrls.cacheDirName(source.repoKey(), source.url()));
    }

    @Override
    public FetchResult fetch(GitSource source) throws GitFetchException {
        Path dir = checkoutDir(source);
        ReentrantLock lock = LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
        lock.lock();
        try (RemoteAccess remote = RemoteAccess.open(source, timeout, cacheDir)) {
            Target target = RemoteRefs.list(remote, source).target(source);
            try {
                return fetchInto(dir, remote, source, target);
            } catch (UnusableCache e) {
                LOG.warn("git cache of {} at {} is unusable ({}); cloning again", source.repoKey(), dir, e.getMessage());
                delete(dir);
                try {
                    return fetchInto(dir, remote, source, target);
                } catch (UnusableCache again) {
                    throw new GitFetchException(Reason.OTHER, "cannot write the git cache at " + dir + ": "
                            + remote.redact(again.getMessage()));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String remoteCommit(GitSource source) throws GitFetchException {
        try (RemoteAccess remote = RemoteAccess.open(source, timeout, cacheDir)) {
            Target target = RemoteRefs.list(remote, source).target(source);
            if (target.commitId() != null) {
                return target.commitId().name();
            }
        }
        // an abbreviated commit id or an annotated tag whose commit the server did not advertise
        return fetch(source).commit();
    }

    private FetchResult fetchInto(Path dir, RemoteAccess remote, GitSource source, Target target)
            throws GitFetchException, UnusableCache {
        try (Repository repo = openOrCreate(dir); Git git = new Git(repo)) {
            boolean present = target.objectId() != null && repo.getObjectDatabase().has(target.objectId());
            if (!present) {
                download(git, remote, source, target);
            }
            RevCommit commit = resolve(repo, source, target);
            checkout(git, commit);
            LOG.debug("{}: {} at {}", source.repoKey(), source.safeUrl(), commit.name());
            return new FetchResult(commit.name(), dir);
        } catch (IOException | JGitInternalException e) {
            throw new UnusableCache(e);
        }
    }

    private void download(Git git, RemoteAccess remote, GitSource source, Target target)
            throws GitFetchException, UnusableCache, IOException {
        if (target.ref() != null) {
            fetch(git, remote, source, true, new RefSpec("+" + target.ref() + ":" + FETCHED_REF));
            return;
        }
        if (target.objectId() != null) {
            try {
                // servers that allow unadvertised wants (GitHub, GitLab, JGit v2) send just this commit
                fetch(git, remote, source, true, new RefSpec("+" + target.objectId().name() + ":" + FETCHED_REF));
                if (git.getRepository().getObjectDatabase().has(target.objectId())) {
                    return;
                }
                LOG.debug("{}: server did not send commit {} on its own; fetching all branches and tags",
                        source.repoKey(), target.objectId().name());
            } catch (GitFetchException e) {
                if (e.reason() != Reason.OTHER) {
                    throw e;
                }
                LOG.debug("{}: fetching commit {} directly failed ({}); fetching all branches and tags",
                        source.repoKey(), target.objectId().name(), e.getMessage());
            }
        }
        fetch(git, remote, source, false, new RefSpec("+" + Constants.R_HEADS + "*:" + REMOTE_BRANCHES + "*"),
                new RefSpec("+" + Constants.R_TAGS + "*:" + REMOTE_TAGS + "*"));
    }

    private void fetch(Git git, RemoteAccess remote, GitSource source, boolean shallow, RefSpec... specs)
            throws GitFetchException, UnusableCache {
        FetchCommand fetch = remote.configure(git.fetch()).setRemote(source.url()).setRefSpecs(specs)
                .setTagOpt(TagOpt.NO_TAGS).setRemoveDeletedRefs(false);
        try {
            if (shallow) {
                fetch.setDepth(1);
            } else if (!git.getRepository().getObjectDatabase().getShallowCommits().isEmpty()) {
                fetch.setUnshallow(true);
            }
            fetch.call();
        } catch (InvalidRemoteException | TransportException e) {
            throw remote.failure(e);
        } catch (GitAPIException | IOException e) {
            throw new UnusableCache(e);
        }
    }

    private static RevCommit resolve(Repository repo, GitSource source, Target target)
            throws IOException, GitFetchException {
        ObjectId id = target.objectId();
        try (RevWalk walk = new RevWalk(repo)) {
            if (id == null) {
                id = repo.resolve(target.revision() + "^{commit}");
            }
            if (id == null || !repo.getObjectDatabase().has(id)) {
                throw new GitFetchException(Reason.UNKNOWN_REVISION, "revision \"" + target.revision()
                        + "\" not found in " + source.safeUrl() + ": no tag or commit there has that id");
            }
            return walk.parseCommit(id);
        } catch (AmbiguousObjectException e) {
            throw new GitFetchException(Reason.UNKNOWN_REVISION, "revision \"" + target.revision()
                    + "\" is ambiguous in " + source.safeUrl() + ": give more characters of the commit id");
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw new GitFetchException(Reason.UNKNOWN_REVISION, "revision \"" + target.revision()
                    + "\" in " + source.safeUrl() + " does not name a commit");
        }
    }

    private static void checkout(Git git, RevCommit commit) throws UnusableCache {
        try {
            git.checkout().setName(commit.name()).setForced(true).call();
            git.clean().setCleanDirectories(true).setIgnore(false).setForce(true).call();
        } catch (GitAPIException e) {
            throw new UnusableCache(e);
        }
    }

    private static Repository openOrCreate(Path dir) throws UnusableCache {
        Path gitDir = dir.resolve(Constants.DOT_GIT);
        try {
            if (Files.isDirectory(gitDir)) {
                Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setWorkTree(dir.toFile())
                        .setMustExist(true).build();
                try {
                    checkReadable(repo);
                } catch (IOException | RuntimeException e) {
                    repo.close();
                    throw e;
                }
                return repo;
            }
            if (Files.exists(dir)) {
                throw new UnusableCache(new IOException(dir + " exists but is not a git working tree"));
            }
            Repository repo = Git.init().setDirectory(dir.toFile()).setInitialBranch("flotilla").call().getRepository();
            StoredConfig config = repo.getConfig();
            // automatic gc runs in the calling thread, inside this directory's lock
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
            return repo;
        } catch (IOException | GitAPIException | RuntimeException e) {
            throw new UnusableCache(e);
        }
    }

    /** Fails when the clone is damaged: missing object database, unreadable HEAD or HEAD commit. */
    private static void checkReadable(Repository repo) throws IOException {
        if (!repo.getObjectDatabase().exists()) {
            throw new IOException("object database missing");
        }
        Ref head = repo.exactRef(Constants.HEAD);
        if (head == null) {
            throw new IOException("HEAD missing");
        }
        if (head.getObjectId() != null) {
            try {
                repo.parseCommit(head.getObjectId());
            } catch (MissingObjectException e) {
                throw new IOException("HEAD commit " + head.getObjectId().name() + " missing", e);
            }
        }
    }

    private static void delete(Path dir) throws GitFetchException {
        try {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY | FileUtils.SKIP_MISSING);
        } catch (IOException e) {
            throw new GitFetchException(Reason.OTHER, "cannot delete the unusable git cache at " + dir + ": "
                    + e.getMessage());
        }
    }

    /** The local clone is damaged or cannot be written; the remote is not to blame. */
    private static final class UnusableCache extends Exception {
        UnusableCache(Throwable cause) {
            super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
        }
    }
}

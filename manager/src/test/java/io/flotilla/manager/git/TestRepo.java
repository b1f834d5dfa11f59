package io.flotilla.manager.git;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A served repository the tests commit to directly (non-bare, unsigned commits, no auto gc). */
final class TestRepo implements AutoCloseable {
    private final Git git;

    private TestRepo(Git git) {
        this.git = git;
    }

    static TestRepo create(Path dir, String initialBranch) throws Exception {
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch(initialBranch).call();
        StoredConfig config = git.getRepository().getConfig();
        config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
        config.setBoolean(ConfigConstants.CONFIG_COMMIT_SECTION, null, ConfigConstants.CONFIG_KEY_GPGSIGN, false);
        // lets clients fetch commits that are not branch tips over protocol v0 as well
        config.setBoolean("uploadpack", null, "allowReachableSHA1InWant", true);
        config.save();
        return new TestRepo(git);
    }

    Repository repository() {
        return git.getRepository();
    }

    /** Writes {@code path} on the current branch and commits it. */
    RevCommit commit(String path, String content) throws Exception {
        Path file = repository().getWorkTree().toPath().resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        git.add().addFilepattern(path).call();
        return git.commit().setMessage("write " + path).setSign(false).setAuthor("test", "test@example.com")
                .setCommitter("test", "test@example.com").call();
    }

    /** Deletes {@code path} (a file or a directory) on the current branch and commits it. */
    RevCommit remove(String path) throws Exception {
        Path file = repository().getWorkTree().toPath().resolve(path);
        try (var walk = Files.walk(file)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        git.rm().addFilepattern(path).call();
        return git.commit().setMessage("remove " + path).setSign(false).setAuthor("test", "test@example.com")
                .setCommitter("test", "test@example.com").call();
    }

    /** Switches to {@code branch}, creating it at the current commit if absent. */
    void checkout(String branch) throws Exception {
        boolean exists = repository().exactRef(Constants.R_HEADS + branch) != null;
        git.checkout().setName(branch).setCreateBranch(!exists).call();
    }

    void lightweightTag(String name) throws Exception {
        git.tag().setName(name).setAnnotated(false).call();
    }

    void annotatedTag(String name) throws Exception {
        git.tag().setName(name).setAnnotated(true).setMessage("release " + name).setSigned(false)
                .setTagger(new org.eclipse.jgit.lib.PersonIdent("test", "test@example.com")).call();
    }

    /** Points HEAD at {@code branch} without touching the work tree: the remote's default branch. */
    void setDefaultBranch(String branch) throws IOException {
        RefUpdate update = repository().updateRef(Constants.HEAD);
        update.link(Constants.R_HEADS + branch);
    }

    @Override
    public void close() {
        git.close();
    }
}

package io.flotilla.e2e.support;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.Daemon;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** One git repository served by JGit's git:// daemon on 127.0.0.1, with helpers to commit to it. */
public final class GitDaemonServer implements AutoCloseable {
    private final Git git;
    private final Daemon daemon;
    private final Path workTree;

    public GitDaemonServer(Path dir) throws Exception {
        workTree = dir;
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        StoredConfig config = git.getRepository().getConfig();
        config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
        config.setBoolean(ConfigConstants.CONFIG_COMMIT_SECTION, null, ConfigConstants.CONFIG_KEY_GPGSIGN, false);
        config.save();
        daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
        daemon.getService("git-upload-pack").setEnabled(true);
        daemon.setRepositoryResolver((req, name) -> {
            if (!name.equals("repo.git")) {
                throw new RepositoryNotFoundException(name);
            }
            git.getRepository().incrementOpen();
            return git.getRepository();
        });
        daemon.start();
    }

    public String url() {
        return "git://127.0.0.1:" + daemon.getAddress().getPort() + "/repo.git";
    }

    public RevCommit write(String path, String content) throws Exception {
        Path file = workTree.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        git.add().addFilepattern(path).call();
        return commit("write " + path);
    }

    /** Copies a directory tree into the repository under {@code target} and commits it. */
    public RevCommit copy(Path source, String target) throws Exception {
        try (var walk = Files.walk(source)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Path dest = workTree.resolve(target).resolve(source.relativize(p).toString());
                Files.createDirectories(dest.getParent());
                Files.copy(p, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        git.add().addFilepattern(target).call();
        return commit("copy " + target);
    }

    public RevCommit remove(String path) throws Exception {
        Path file = workTree.resolve(path);
        try (var walk = Files.walk(file)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        git.rm().addFilepattern(path).call();
        return commit("remove " + path);
    }

    private RevCommit commit(String message) throws Exception {
        return git.commit().setMessage(message).setSign(false).setAuthor("e2e", "e2e@example.invalid")
                .setCommitter("e2e", "e2e@example.invalid").call();
    }

    public String head() throws Exception {
        return git.getRepository().resolve("main").name();
    }

    @Override
    public void close() {
        daemon.stop();
        git.close();
    }
}

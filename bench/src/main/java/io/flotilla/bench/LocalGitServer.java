package io.flotilla.bench;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.Daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local git repositories served by JGit's git:// daemon on 127.0.0.1. Each repository holds bundle
 * directories {@code b00, b01, ...}, each with a fleet.yaml and one ConfigMap manifest, like the bundles of
 * Fleet's benchmarks.
 */
final class LocalGitServer implements AutoCloseable {
    private final Path root;
    private final Daemon daemon;
    private final Map<String, Git> repos = new ConcurrentHashMap<>();

    private LocalGitServer(Path root, Daemon daemon) {
        this.root = root;
        this.daemon = daemon;
    }

    static LocalGitServer start(Path root) throws IOException {
        Daemon daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
        daemon.getService("git-upload-pack").setEnabled(true);
        LocalGitServer server = new LocalGitServer(root, daemon);
        daemon.setRepositoryResolver((req, name) -> server.resolve(name));
        daemon.start();
        return server;
    }

    private Repository resolve(String name) throws RepositoryNotFoundException {
        Git git = repos.get(name.endsWith(".git") ? name.substring(0, name.length() - 4) : name);
        if (git == null) {
            throw new RepositoryNotFoundException(name);
        }
        git.getRepository().incrementOpen();
        return git.getRepository();
    }

    /** Writes the files of bundle number {@code b} into its (existing) directory. */
    interface BundleWriter {
        void write(int b, Path dir) throws IOException;
    }

    /** Creates repository {@code name} on branch main with {@code bundles} bundle directories, one commit. */
    String createRepo(String name, int bundles) throws Exception {
        return createRepo(name, bundles, (b, dir) -> {
            String bundle = bundleDir(b);
            Files.writeString(dir.resolve("configmap.yaml"), """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: bench-%s
                    data:
                      bundle: "%s"
                      payload: "%s"
                    """.formatted(bundle, bundle, "x".repeat(200)));
            // A directory is a bundle of its own only with a fleet.yaml (Fleet's scan rule).
            Files.writeString(dir.resolve("fleet.yaml"), "defaultNamespace: bench-" + bundle + "\n");
        });
    }

    /** Creates repository {@code name} on branch main with {@code bundles} directories written by {@code writer}. */
    String createRepo(String name, int bundles, BundleWriter writer) throws Exception {
        Path dir = root.resolve(name);
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        StoredConfig config = git.getRepository().getConfig();
        config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
        config.setBoolean(ConfigConstants.CONFIG_COMMIT_SECTION, null, ConfigConstants.CONFIG_KEY_GPGSIGN, false);
        config.save();
        for (int b = 0; b < bundles; b++) {
            Path bundle = dir.resolve(bundleDir(b));
            Files.createDirectories(bundle);
            writer.write(b, bundle);
        }
        git.add().addFilepattern(".").call();
        git.commit().setMessage(bundles + " bundles").setSign(false).setAuthor("bench", "bench@example.invalid")
                .setCommitter("bench", "bench@example.invalid").call();
        repos.put(name, git);
        return "git://127.0.0.1:" + daemon.getAddress().getPort() + "/" + name + ".git";
    }

    /** Changes the working tree of repository {@code name} and commits every change (deletions too) on main. */
    void commit(String name, String message, BundleWriter change, int bundle) throws Exception {
        Git git = repos.get(name);
        Path dir = git.getRepository().getWorkTree().toPath().resolve(bundleDir(bundle));
        change.write(bundle, dir);
        git.add().addFilepattern(".").call();
        git.add().setUpdate(true).addFilepattern(".").call();
        git.commit().setMessage(message).setSign(false).setAuthor("bench", "bench@example.invalid")
                .setCommitter("bench", "bench@example.invalid").call();
    }

    static String bundleDir(int b) {
        return String.format(Locale.ROOT, "b%02d", b);
    }

    @Override
    public void close() {
        daemon.stop();
        repos.values().forEach(Git::close);
    }
}

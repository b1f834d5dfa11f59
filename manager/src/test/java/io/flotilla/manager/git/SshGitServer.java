package io.flotilla.manager.git;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UploadPack;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Apache MINA sshd on 127.0.0.1 that runs JGit's UploadPack for {@code git-upload-pack '<name>'}; public-key auth only. */
final class SshGitServer implements AutoCloseable {
    private final SshServer sshd;
    private final Map<String, Repository> repos = new ConcurrentHashMap<>();

    private SshGitServer(KeyPair hostKey, List<PublicKey> authorizedKeys) throws Exception {
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPublickeyAuthenticator((user, key, session) -> "git".equals(user)
                && authorizedKeys.stream().anyMatch(authorized -> KeyUtils.compareKeys(key, authorized)));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setCommandFactory((channel, command) -> new UploadPackCommand(repos.get(repoName(command))));
        sshd.start();
    }

    static SshGitServer start(KeyPair hostKey, List<PublicKey> authorizedKeys) throws Exception {
        return new SshGitServer(hostKey, authorizedKeys);
    }

    void serve(String name, Repository repo) {
        repos.put(name, repo);
    }

    int port() {
        return sshd.getPort();
    }

    String url(String name) {
        return "ssh://git@127.0.0.1:" + port() + "/" + name;
    }

    /** {@code git-upload-pack '/name'} → {@code name}; other commands map to no repository. */
    private static String repoName(String command) {
        if (!command.startsWith("git-upload-pack ")) {
            return "";
        }
        String path = command.substring("git-upload-pack ".length()).replace("'", "").trim();
        return path.startsWith("/") ? path.substring(1) : path;
    }

    @Override
    public void close() throws Exception {
        sshd.stop(true);
    }

    private static final class UploadPackCommand implements Command {
        private final Repository repo;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private Thread worker;

        UploadPackCommand(Repository repo) {
            this.repo = repo;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            worker = new Thread(() -> {
                if (repo == null) {
                    exit.onExit(128, "repository not found");
                    return;
                }
                try {
                    UploadPack pack = new UploadPack(repo);
                    String protocol = env.getEnv().get("GIT_PROTOCOL");
                    if (protocol != null) {
                        pack.setExtraParameters(List.of(protocol));
                    }
                    pack.upload(in, out, err);
                    out.flush();
                    exit.onExit(0);
                } catch (Exception e) {
                    exit.onExit(1, String.valueOf(e.getMessage()));
                }
            }, "test-upload-pack");
            worker.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (worker != null) {
                worker.interrupt();
            }
        }
    }
}

package io.flotilla.manager.git;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * One SSH client per operation, isolated from the machine: keys and known hosts only from the credentials,
 * no ~/.ssh/config, no ~/.ssh identities, no ssh-agent.
 */
final class SshSessions implements AutoCloseable {
    private final SshdSessionFactory factory;
    private final KnownHostsDatabase knownHosts;

    private SshSessions(SshdSessionFactory factory, KnownHostsDatabase knownHosts) {
        this.factory = factory;
        this.knownHosts = knownHosts;
    }

    /** @param home an otherwise unused directory JGit may treat as the user's home */
    static SshSessions create(GitCredentials credentials, Path home) throws GitFetchException {
        List<KeyPair> keys = credentials != null && credentials.hasSshKey()
                ? readKeys(credentials.sshPrivateKeyPem()) : List.of();
        KnownHostsDatabase knownHosts = KnownHostsDatabase.parse(credentials == null ? null : credentials.knownHosts());
        SshdSessionFactory factory = new SshdSessionFactoryBuilder()
                .setHomeDirectory(home.toFile())
                .setSshDirectory(home.resolve(".ssh").toFile())
                .setConfigStoreFactory((homeDir, configFile, localUser) -> null)
                .setDefaultKeysProvider(sshDir -> keys)
                .setServerKeyDatabase((homeDir, sshDir) -> knownHosts)
                .setConnectorFactory(null)
                .build(null);
        return new SshSessions(factory, knownHosts);
    }

    SshdSessionFactory factory() {
        return factory;
    }

    /** Why the server's host key was refused, or {@code null}. */
    String hostKeyRejection() {
        return knownHosts.rejection();
    }

    private static List<KeyPair> readKeys(String pem) throws GitFetchException {
        try {
            List<KeyPair> keys = new ArrayList<>();
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("ssh-privatekey"),
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)), null);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                throw new GitFetchException(GitFetchException.Reason.AUTH_FAILED,
                        "the SSH private key in the credentials contains no key");
            }
            return List.copyOf(keys);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // the parser's message may quote key material: report only the kind of failure
            throw new GitFetchException(GitFetchException.Reason.AUTH_FAILED,
                    "the SSH private key in the credentials cannot be read (" + e.getClass().getSimpleName()
                    + "); it must be an unencrypted OpenSSH or PEM private key");
        }
    }

    @Override
    public void close() {
        factory.close();
    }
}

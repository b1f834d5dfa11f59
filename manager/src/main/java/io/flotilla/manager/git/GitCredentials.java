package io.flotilla.manager.git;

/**
 * Credentials from a GitRepo's {@code clientSecretName}: basic-auth (username + password or token) or
 * ssh-auth (private key + known_hosts). All fields are nullable. {@link #toString()} never shows a secret.
 *
 * @param username         HTTP user name (or SSH password-auth user name)
 * @param password         HTTP password or token
 * @param sshPrivateKeyPem OpenSSH or PEM private key text, unencrypted
 * @param knownHosts       known_hosts text; SSH host keys not listed here are rejected
 */
public record GitCredentials(String username, String password, String sshPrivateKeyPem, String knownHosts) {

    public static GitCredentials basic(String username, String password) {
        return new GitCredentials(username, password, null, null);
    }

    public static GitCredentials ssh(String sshPrivateKeyPem, String knownHosts) {
        return new GitCredentials(null, null, sshPrivateKeyPem, knownHosts);
    }

    public boolean hasPassword() {
        return password != null && !password.isEmpty();
    }

    public boolean hasSshKey() {
        return sshPrivateKeyPem != null && !sshPrivateKeyPem.isBlank();
    }

    @Override
    public String toString() {
        return "GitCredentials[username=" + username
                + ", password=" + (hasPassword() ? "***" : "none")
                + ", sshPrivateKey=" + (hasSshKey() ? "***" : "none")
                + ", knownHosts=" + (knownHosts == null ? "none" : knownHosts.lines().count() + " lines") + "]";
    }
}

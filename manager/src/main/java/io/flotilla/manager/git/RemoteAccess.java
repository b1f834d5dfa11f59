package io.flotilla.manager.git;

import io.flotilla.manager.git.GitFetchException.Reason;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How to talk to one source's remote during one operation: credentials, TLS and SSH settings for JGit's
 * transport commands, and the translation of JGit's failures into {@link GitFetchException}s.
 */
final class RemoteAccess implements AutoCloseable {
    private static final List<String> AUTH_FAILURE_HINTS = List.of("not authorized", "authentication is required",
            "authentication not supported", "auth fail", "authentication failed", "cannot log in",
            "no more authentication methods", "not permitted", "forbidden");

    private final GitSource source;
    private final Duration timeout;
    private final TlsConnectionFactory tls;
    private final SshSessions ssh;

    private RemoteAccess(GitSource source, Duration timeout, TlsConnectionFactory tls, SshSessions ssh) {
        this.source = source;
        this.timeout = timeout;
        this.tls = tls;
        this.ssh = ssh;
    }

    /** @param sshHome directory JGit's SSH client may treat as home; nothing is read from it */
    static RemoteAccess open(GitSource source, Duration timeout, Path sshHome) throws GitFetchException {
        String scheme = GitUrls.scheme(source.url());
        if (scheme == null) {
            throw new GitFetchException(Reason.INVALID_URL, "invalid git URL " + source.safeUrl()
                    + ": use https://, http://, ssh://, git://, file:// or user@host:path");
        }
        TlsConnectionFactory tls = "https".equals(scheme) ? TlsConnectionFactory.forSource(source) : null;
        SshSessions ssh = "ssh".equals(scheme) ? SshSessions.create(source.credentials(), sshHome) : null;
        return new RemoteAccess(source, timeout, tls, ssh);
    }

    <C extends TransportCommand<C, ?>> C configure(C command) {
        command.setTimeout((int) Math.max(1, timeout.toSeconds()));
        GitCredentials credentials = source.credentials();
        if (credentials != null && credentials.hasPassword()) {
            command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(
                    credentials.username() == null ? "" : credentials.username(), credentials.password()));
        }
        command.setTransportConfigCallback(transport -> {
            if (transport instanceof TransportHttp http && tls != null) {
                http.setHttpConnectionFactory(tls);
            }
            if (transport instanceof SshTransport sshTransport && ssh != null) {
                sshTransport.setSshSessionFactory(ssh.factory());
            }
        });
        return command;
    }

    /** Translates a JGit failure while talking to the remote. */
    GitFetchException failure(Exception e) {
        String url = source.safeUrl();
        String hostKeyRejection = ssh == null ? null : ssh.hostKeyRejection();
        if (hostKeyRejection != null) {
            return new GitFetchException(Reason.AUTH_FAILED, "host key verification failed for " + url + ": "
                    + hostKeyRejection + "; add the server's host key to known_hosts");
        }
        List<Throwable> chain = causes(e);
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException) {
                return new GitFetchException(Reason.UNREACHABLE, "cannot reach " + url + ": unknown host "
                        + redact(t.getMessage()));
            }
            if (t instanceof ConnectException) {
                return new GitFetchException(Reason.UNREACHABLE, "cannot reach " + url + ": connection refused");
            }
            if (t instanceof NoRouteToHostException) {
                return new GitFetchException(Reason.UNREACHABLE, "cannot reach " + url + ": no route to host");
            }
            if (t instanceof SocketTimeoutException) {
                return new GitFetchException(Reason.UNREACHABLE, "cannot reach " + url + ": timed out after "
                        + timeout.toSeconds() + "s");
            }
            if (t instanceof SSLException || t instanceof CertificateException) {
                return new GitFetchException(Reason.UNREACHABLE, "TLS connection to " + url + " failed: "
                        + redact(rootMessage(t)) + "; set caBundle to the server's CA or, for testing only, "
                        + "insecureSkipTLSVerify");
            }
            if (t instanceof URISyntaxException || t instanceof InvalidRemoteException) {
                return new GitFetchException(Reason.INVALID_URL, "invalid git URL " + url + ": " + redact(t.getMessage()));
            }
            if (t instanceof NoRemoteRepositoryException) {
                return new GitFetchException(Reason.OTHER, "repository " + url + " not found");
            }
        }
        String messages = chain.stream().map(Throwable::getMessage).filter(m -> m != null)
                .map(m -> m.toLowerCase(Locale.ROOT)).reduce("", (a, b) -> a + "\n" + b);
        if (AUTH_FAILURE_HINTS.stream().anyMatch(messages::contains)) {
            return new GitFetchException(Reason.AUTH_FAILED, "authentication failed for " + url + ": "
                    + authHint());
        }
        if (messages.contains("connection refused")) {
            return new GitFetchException(Reason.UNREACHABLE, "cannot reach " + url + ": connection refused");
        }
        if (messages.contains("not found") || messages.contains("does not appear to be a git repository")) {
            return new GitFetchException(Reason.OTHER, "repository " + url + " not found");
        }
        return new GitFetchException(Reason.OTHER, "git operation on " + url + " failed: " + redact(withoutRemoteText(chain)));
    }

    /**
     * JGit quotes what the server sent when it is not git ("invalid advertisement of &lt;first line&gt;"): that text is
     * the remote's, possibly from a service the URL was aimed at, and must not reach status or logs.
     */
    static String withoutRemoteText(List<Throwable> chain) {
        for (Throwable t : chain) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("advertisement") || m.contains("pkt-line") || m.contains(", got ") || m.contains("not a git repository")
                    || m.contains("received content-type") || m.contains("protocol error")) {
                return "the server's reply is not a git protocol reply (is the URL a git repository?)";
            }
        }
        String root = rootMessage(chain.get(chain.size() - 1));
        String first = root == null ? "unknown error" : root.lines().findFirst().orElse("");
        return first.length() > 160 ? first.substring(0, 160) + "…" : first;
    }

    private String authHint() {
        GitCredentials c = source.credentials();
        boolean ssh = this.ssh != null;
        if (c == null) {
            return ssh ? "no SSH private key given" : "the server needs credentials and none are given";
        }
        return ssh ? "check the SSH private key (its public key must be authorised for the repository)"
                : "check the username and password/token";
    }

    /** Removes any credential text a message from the transport might quote. */
    String redact(String message) {
        if (message == null) {
            return "";
        }
        String result = message.replace(source.url(), source.safeUrl());
        for (String secret : GitUrls.secretsIn(source.url())) {
            result = result.replace(secret, "***");
        }
        GitCredentials c = source.credentials();
        if (c != null && c.hasPassword()) {
            result = result.replace(c.password(), "***");
        }
        return result;
    }

    private static String rootMessage(Throwable t) {
        List<Throwable> chain = causes(t);
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (chain.get(i).getMessage() != null) {
                return chain.get(i).getMessage();
            }
        }
        return t.getClass().getSimpleName();
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    @Override
    public void close() {
        if (ssh != null) {
            ssh.close();
        }
    }
}

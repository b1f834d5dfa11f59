package io.flotilla.manager.git;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Host keys from the known_hosts text of a credentials secret. Strict: a host key not listed is rejected (no
 * trust on first use), and the rejection is remembered so the fetch error can say which key was offered.
 */
final class KnownHostsDatabase implements ServerKeyDatabase {
    private record HostKey(KnownHostEntry entry, PublicKey key, boolean revoked) {
    }

    private final List<HostKey> hostKeys;
    private volatile String rejection;

    private KnownHostsDatabase(List<HostKey> hostKeys) {
        this.hostKeys = hostKeys;
    }

    static KnownHostsDatabase parse(String knownHosts) throws GitFetchException {
        List<HostKey> keys = new ArrayList<>();
        if (knownHosts == null) {
            return new KnownHostsDatabase(keys);
        }
        try {
            for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(knownHosts)))) {
                AuthorizedKeyEntry keyEntry = entry.getKeyEntry();
                if (keyEntry == null || "cert-authority".equals(entry.getMarker())) {
                    continue;
                }
                PublicKey key = keyEntry.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
                if (key != null) {
                    keys.add(new HostKey(entry, key, "revoked".equals(entry.getMarker())));
                }
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new GitFetchException(GitFetchException.Reason.AUTH_FAILED,
                    "known_hosts in the credentials cannot be read: " + e.getMessage());
        }
        return new KnownHostsDatabase(keys);
    }

    int size() {
        return hostKeys.size();
    }

    /** Why the last host key was rejected, or {@code null}. */
    String rejection() {
        return rejection;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        HostAndPort host = HostAndPort.of(connectAddress, remoteAddress);
        return hostKeys.stream().filter(k -> !k.revoked() && k.entry().isHostMatch(host.host(), host.port()))
                .map(HostKey::key).toList();
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                          Configuration config, CredentialsProvider provider) {
        HostAndPort host = HostAndPort.of(connectAddress, remoteAddress);
        String fingerprint = KeyUtils.getFingerPrint(serverKey);
        boolean revoked = hostKeys.stream().anyMatch(k -> k.revoked() && KeyUtils.compareKeys(k.key(), serverKey));
        if (revoked) {
            rejection = "the host key " + fingerprint + " of " + host + " is marked @revoked in known_hosts";
            return false;
        }
        boolean known = hostKeys.stream().anyMatch(k -> !k.revoked()
                && k.entry().isHostMatch(host.host(), host.port()) && KeyUtils.compareKeys(k.key(), serverKey));
        if (!known) {
            rejection = hostKeys.isEmpty()
                    ? "no known_hosts in the credentials: cannot verify the host key " + fingerprint + " of " + host
                    : "the host key " + KeyUtils.getKeyType(serverKey) + " " + fingerprint + " of " + host
                      + " is not in known_hosts of the credentials";
        }
        return known;
    }

    /** The host as known_hosts names it: {@code host} on port 22, else {@code [host]:port}. */
    record HostAndPort(String host, int port) {
        static HostAndPort of(String connectAddress, InetSocketAddress remoteAddress) {
            String address = Objects.requireNonNullElse(connectAddress, remoteAddress.getHostString());
            if (address.startsWith("[")) {
                int close = address.indexOf(']');
                int port = close + 1 < address.length() && address.charAt(close + 1) == ':'
                        ? Integer.parseInt(address.substring(close + 2)) : remoteAddress.getPort();
                return new HostAndPort(address.substring(1, close), port);
            }
            return new HostAndPort(address, remoteAddress.getPort());
        }

        @Override
        public String toString() {
            return port == 22 ? host : "[" + host + "]:" + port;
        }
    }
}

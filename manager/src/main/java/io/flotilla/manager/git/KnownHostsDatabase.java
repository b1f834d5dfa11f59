package io.flotilla.manager.git;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

import java.io.IOException;
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
    private final int unreadableLines;
    private volatile String rejection;

    private KnownHostsDatabase(List<HostKey> hostKeys, int unreadableLines) {
        this.hostKeys = hostKeys;
        this.unreadableLines = unreadableLines;
    }

    /** Reads every line it can; lines with unknown key types or bad syntax are skipped and counted. */
    static KnownHostsDatabase parse(String knownHosts) {
        List<HostKey> keys = new ArrayList<>();
        int unreadable = 0;
        for (String line : knownHosts == null ? List.<String>of() : knownHosts.lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                KnownHostEntry entry = KnownHostEntry.parseKnownHostEntry(trimmed);
                AuthorizedKeyEntry keyEntry = entry == null ? null : entry.getKeyEntry();
                if (keyEntry == null || "cert-authority".equals(entry.getMarker())) {
                    unreadable++;
                    continue;
                }
                PublicKey key = keyEntry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
                keys.add(new HostKey(entry, key, "revoked".equals(entry.getMarker())));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                unreadable++;
            }
        }
        return new KnownHostsDatabase(List.copyOf(keys), unreadable);
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
            String skipped = unreadableLines == 0 ? ""
                    : " (" + unreadableLines + " known_hosts lines could not be read and were skipped)";
            rejection = (hostKeys.isEmpty() && unreadableLines == 0
                    ? "no known_hosts in the credentials: cannot verify the host key " + fingerprint + " of " + host
                    : "the host key " + KeyUtils.getKeyType(serverKey) + " " + fingerprint + " of " + host
                      + " is not in known_hosts of the credentials") + skipped;
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

package io.flotilla.manager.git;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which git remotes the manager may contact on a GitRepo's behalf. Whoever may create a GitRepo must not be able to
 * make the manager read its own disk ({@code file://}) or send requests into its own network (loopback, link-local —
 * cloud metadata lives at 169.254.169.254 — and, by default, private ranges): each is off unless the manager is
 * started with the option that allows it. Host names are resolved and every address is checked.
 *
 * @param allowFileRepos     {@code file://} and plain paths ({@code --allow-file-repos})
 * @param allowLoopback      loopback, link-local and unspecified addresses ({@code --allow-loopback-repos})
 * @param allowPrivate       RFC 1918, unique-local IPv6 and carrier-grade NAT ranges ({@code --allow-private-repos})
 */
public record GitAccessPolicy(boolean allowFileRepos, boolean allowLoopback, boolean allowPrivate) {

    /** The default: public remotes only. */
    public static GitAccessPolicy strict() {
        return new GitAccessPolicy(false, false, false);
    }

    /** Remotes on this machine too (tests and local trials with a git server on 127.0.0.1). */
    public static GitAccessPolicy allowingLoopback() {
        return new GitAccessPolicy(false, true, false);
    }

    /**
     * Checks a GitRepo's {@code repo}. Blocking: resolves the host name.
     *
     * @return why the manager will not contact it, or null when it may (an unknown host is left to the fetch to report)
     */
    public String refusal(String url) {
        String scheme = GitUrls.scheme(url);
        if (scheme == null) {
            return null; // the fetch says what is wrong with the URL
        }
        if (scheme.equals("file")) {
            return allowFileRepos ? null : "file:// repositories are not allowed: the manager does not read repositories "
                    + "from its own disk unless started with --allow-file-repos";
        }
        String host = host(url);
        if (host == null || host.isEmpty()) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
        for (InetAddress a : addresses) {
            if (!allowLoopback && (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress())) {
                return "repository host " + host + " is " + (a.isLinkLocalAddress() ? "link-local" : "this machine") + " ("
                        + a.getHostAddress() + "): not contacted unless the manager is started with --allow-loopback-repos";
            }
            if (!allowPrivate && isPrivate(a)) {
                return "repository host " + host + " is in a private network (" + a.getHostAddress()
                        + "): not contacted unless the manager is started with --allow-private-repos";
            }
        }
        return null;
    }

    static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 10 || first == 172 && second >= 16 && second <= 31 || first == 192 && second == 168
                    || first == 100 && second >= 64 && second <= 127; // carrier-grade NAT
        }
        return (b[0] & 0xfe) == 0xfc || a.isSiteLocalAddress(); // fc00::/7 unique local, deprecated fec0::/10
    }

    static String host(String url) {
        int sep = url.indexOf("://");
        if (sep < 0) {
            // scp-like: [user@]host:path
            int at = url.indexOf('@');
            int colon = url.indexOf(':', at + 1);
            return colon < 0 ? null : url.substring(at + 1, colon).toLowerCase(Locale.ROOT);
        }
        try {
            String h = URI.create(url).getHost();
            return h == null ? null : h.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package io.flotilla.agent.connection;

import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Trusts the manager whose certificate chain leads to the CA the registration token pins, as {@code kubeadm join}
 * does with {@code --discovery-token-ca-cert-hash}: the pin is the hex SHA-256 of the CA certificate's DER
 * SubjectPublicKeyInfo. Each certificate up to the pinned one must be signed by the next and be within its validity;
 * the TLS engine still checks the host name. Any other manager is refused with a message that says so.
 */
public final class PinnedTrustManager implements X509TrustManager {
    private static final Pattern PIN = Pattern.compile("[0-9a-f]{64}");
    private final String pin;

    public PinnedTrustManager(String pin) {
        this.pin = normalise(pin);
        if (this.pin == null) {
            throw new IllegalArgumentException("a CA pin is 64 hex digits (sha256:<hex>)");
        }
    }

    /** {@code sha256:<hex>} or {@code <hex>} → lower-case hex, or null when it is not a pin. */
    static String normalise(String pin) {
        if (pin == null) {
            return null;
        }
        String p = pin.toLowerCase(Locale.ROOT).trim();
        if (p.startsWith("sha256:")) {
            p = p.substring("sha256:".length());
        }
        return PIN.matcher(p).matches() ? p : null;
    }

    /** The pin a registration token carries as its fifth dot-separated part ({@code flt1.ns.name.secret.pin}), or null. */
    public static String pinOf(String token) {
        if (token == null) {
            return null;
        }
        String[] parts = token.split("\\.");
        return parts.length == 5 ? normalise(parts[4]) : null;
    }

    static String publicKeySha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    public String pin() {
        return pin;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        int pinned = -1;
        for (int i = 0; i < chain.length && pinned < 0; i++) {
            if (publicKeySha256(chain[i]).equals(pin)) {
                pinned = i;
            }
        }
        if (pinned < 0) {
            throw new CertificateException("the manager's certificate (" + (chain.length == 0 ? "none"
                    : chain[0].getSubjectX500Principal().getName() + ", issued by " + chain[chain.length - 1].getIssuerX500Principal().getName())
                    + ") does not lead to the CA the registration token pins (sha256:" + pin + "): this is not the manager "
                    + "that issued the token, or someone is in between; create the token on the manager this agent connects to");
        }
        try {
            for (int i = 0; i < pinned; i++) {
                chain[i].checkValidity();
                chain[i].verify(chain[i + 1].getPublicKey());
            }
            chain[pinned].checkValidity();
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the manager's certificate chain does not verify against its pinned CA: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent does not accept TLS clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}

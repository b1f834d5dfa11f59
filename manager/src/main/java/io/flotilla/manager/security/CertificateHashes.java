package io.flotilla.manager.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The CA pin a registration token carries: SHA-256 of the CA certificate's DER SubjectPublicKeyInfo, as kubeadm's
 * {@code --discovery-token-ca-cert-hash} ({@code sha256:<hex>}). The agent computes the same (its own copy, in
 * {@code io.flotilla.agent.connection.PinnedTrustManager}).
 */
public final class CertificateHashes {
    private CertificateHashes() {
    }

    /** 64 hex digits. */
    public static String publicKeySha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}

package io.flotilla.manager.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM certificates read with the JDK alone. Kept apart from {@link TlsMaterial}: the CLI reads its CA on every
 * command, and loading TlsMaterial would load Bouncy Castle, whose signed jars cost a signature check at each start.
 */
public final class PemCertificates {
    private PemCertificates() {
    }

    /** Every certificate in the PEM text, in order. */
    public static List<X509Certificate> read(byte[] pem) throws CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(pem)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        } catch (IOException impossible) {
            throw new CertificateException(impossible);
        }
        return out;
    }
}

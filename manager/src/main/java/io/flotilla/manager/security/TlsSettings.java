package io.flotilla.manager.security;

import java.nio.file.Path;
import java.util.List;

/**
 * How the manager serves its one port. TLS by default: with {@code certFile}/{@code keyFile} (PEM) given, those;
 * otherwise a CA and serving certificate generated under {@code <data-dir>/tls} on first start. Cleartext only
 * when asked for ({@code plaintext}).
 *
 * @param certFile  PEM serving certificate (chain: leaf first); null = generated
 * @param keyFile   PEM private key of {@code certFile}
 * @param plaintext serve HTTP/1.1 and h2c without TLS
 * @param extraSans further DNS names or IP addresses the generated serving certificate is valid for
 */
public record TlsSettings(Path certFile, Path keyFile, boolean plaintext, List<String> extraSans) {
    public TlsSettings {
        extraSans = extraSans == null ? List.of() : List.copyOf(extraSans);
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--tls-cert-file and --tls-key-file go together: give both or neither");
        }
        if (plaintext && certFile != null) {
            throw new IllegalArgumentException("--plaintext and --tls-cert-file/--tls-key-file contradict each other");
        }
    }

    public static TlsSettings generated() {
        return new TlsSettings(null, null, false, List.of());
    }

    public static TlsSettings files(Path certFile, Path keyFile) {
        return new TlsSettings(certFile, keyFile, false, List.of());
    }

    public static TlsSettings cleartext() {
        return new TlsSettings(null, null, true, List.of());
    }

    public TlsSettings withExtraSans(List<String> sans) {
        return new TlsSettings(certFile, keyFile, plaintext, sans);
    }
}

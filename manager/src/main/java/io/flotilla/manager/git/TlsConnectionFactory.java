package io.flotilla.manager.git;

import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Proxy;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * HTTP connections with a GitRepo's TLS settings: {@code caBundle} certificates are trusted in addition to the
 * JVM's CAs (as Fleet does), {@code insecureSkipTLSVerify} trusts any certificate and host name.
 */
final class TlsConnectionFactory implements HttpConnectionFactory {
    private final JDKHttpConnectionFactory delegate = new JDKHttpConnectionFactory();
    private final TrustManager[] trustManagers;
    private final boolean skipHostnameCheck;

    private TlsConnectionFactory(TrustManager[] trustManagers, boolean skipHostnameCheck) {
        this.trustManagers = trustManagers;
        this.skipHostnameCheck = skipHostnameCheck;
    }

    /** {@code null} when the source needs no special TLS handling. */
    static TlsConnectionFactory forSource(GitSource source) throws GitFetchException {
        if (source.insecureSkipTLSVerify()) {
            return new TlsConnectionFactory(new TrustManager[]{new TrustAll()}, true);
        }
        if (source.caBundlePem() == null) {
            return null;
        }
        try {
            X509ExtendedTrustManager bundle = trustManager(bundleKeyStore(source.caBundlePem()));
            X509ExtendedTrustManager system = trustManager(null);
            return new TlsConnectionFactory(new TrustManager[]{new EitherTrusts(List.of(bundle, system))}, false);
        } catch (GeneralSecurityException | IOException e) {
            throw new GitFetchException(GitFetchException.Reason.OTHER,
                    "caBundle for " + source.safeUrl() + " is not a valid PEM certificate bundle: " + e.getMessage());
        }
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return configure(url, delegate.create(url));
    }

    @Override
    public HttpConnection create(URL url, Proxy proxy) throws IOException {
        return configure(url, delegate.create(url, proxy));
    }

    private HttpConnection configure(URL url, HttpConnection connection) throws IOException {
        if (!"https".equalsIgnoreCase(url.getProtocol())) {
            return connection;
        }
        try {
            connection.configure(null, trustManagers, null);
            if (skipHostnameCheck) {
                connection.setHostnameVerifier((host, session) -> true);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
        return connection;
    }

    private static KeyStore bundleKeyStore(String pem) throws GeneralSecurityException, IOException {
        Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (certs.isEmpty()) {
            throw new CertificateException("no certificate found");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (java.security.cert.Certificate cert : certs) {
            store.setCertificateEntry("ca-" + i++, cert);
        }
        return store;
    }

    private static X509ExtendedTrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager available");
    }

    /** Trusts a server if any of the delegates does (bundle CAs or system CAs). */
    private static final class EitherTrusts extends X509ExtendedTrustManager {
        private final List<X509ExtendedTrustManager> delegates;

        EitherTrusts(List<X509ExtendedTrustManager> delegates) {
            this.delegates = delegates;
        }

        private interface Check {
            void run(X509ExtendedTrustManager tm) throws CertificateException;
        }

        private void anyTrusts(Check check) throws CertificateException {
            List<CertificateException> failures = new ArrayList<>();
            for (X509ExtendedTrustManager tm : delegates) {
                try {
                    check.run(tm);
                    return;
                } catch (CertificateException e) {
                    failures.add(e);
                }
            }
            CertificateException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            anyTrusts(tm -> tm.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            anyTrusts(tm -> tm.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            anyTrusts(tm -> tm.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegates.stream().map(X509TrustManager::getAcceptedIssuers)
                    .flatMap(java.util.Arrays::stream).toArray(X509Certificate[]::new);
        }
    }

    /** insecureSkipTLSVerify: the user asked for no certificate checks at all. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not checked here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

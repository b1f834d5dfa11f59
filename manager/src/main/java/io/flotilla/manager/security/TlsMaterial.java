package io.flotilla.manager.security;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The manager's serving certificate and the CA that agents and the CLI pin. Given PEM files are used as they are;
 * otherwise a CA (EC P-256, 10 years) is generated once and kept by a {@link CaKeeper} (under {@code <data-dir>/tls};
 * in Kubernetes mode in a Secret, so that every replica serves under the one CA that agents pin), and a serving
 * certificate signed by it is issued at every start for the names the manager answers to (localhost, loopback
 * addresses, the listen address, this host's names and addresses, and {@code --tls-san}s). Keys are written mode 0600.
 */
public final class TlsMaterial {
    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
    static final String DIR = "tls";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVING_VALIDITY = Duration.ofDays(365);

    private final Path certFile;
    private final Path keyFile;
    private final X509Certificate ca;
    private final String caPem;

    private TlsMaterial(Path certFile, Path keyFile, X509Certificate ca) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.ca = ca;
        this.caPem = pem("CERTIFICATE", encoded(ca));
    }

    /** A CA certificate and its private key, PEM. */
    public record CaPem(String certificate, String privateKey) {
    }

    /** Where the generated CA is kept. */
    public interface CaKeeper {
        /** The kept CA, if there is one. */
        java.util.Optional<CaPem> load() throws IOException;

        /** Keeps {@code generated} unless another CA was kept meanwhile (another replica): returns the one kept. */
        CaPem keep(CaPem generated) throws IOException;

        /** Where it is kept, for messages. */
        String describe();
    }

    /** The CA under {@code <data-dir>/tls} (ca.crt, ca.key mode 0600): one manager, one data dir. */
    public static CaKeeper filesIn(Path dataDir) {
        Path dir = dataDir.resolve(DIR);
        Path caCert = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        return new CaKeeper() {
            @Override
            public java.util.Optional<CaPem> load() throws IOException {
                if (Files.exists(caCert) && Files.exists(caKey)) {
                    return java.util.Optional.of(new CaPem(Files.readString(caCert), Files.readString(caKey)));
                }
                return java.util.Optional.empty();
            }

            @Override
            public CaPem keep(CaPem generated) throws IOException {
                Files.createDirectories(dir);
                PrivateFiles.write(caKey, generated.privateKey().getBytes(StandardCharsets.US_ASCII));
                PrivateFiles.write(caCert, generated.certificate().getBytes(StandardCharsets.US_ASCII));
                return generated;
            }

            @Override
            public String describe() {
                return dir.toString();
            }
        };
    }

    /** Loads the given files or generates what is missing, with the CA under the data dir. Blocking. */
    public static TlsMaterial prepare(TlsSettings settings, Path dataDir, String listenHost, Vertx vertx) {
        return prepare(settings, dataDir, listenHost, vertx, filesIn(dataDir));
    }

    /** Loads the given files or generates what is missing, with the CA kept by {@code caKeeper}. Blocking. */
    public static TlsMaterial prepare(TlsSettings settings, Path dataDir, String listenHost, Vertx vertx, CaKeeper caKeeper) {
        try {
            if (settings.certFile() != null) {
                return fromFiles(settings.certFile(), settings.keyFile(), vertx);
            }
            return generated(dataDir.resolve(DIR), caKeeper, listenHost, settings.extraSans());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("TLS: " + e.getMessage(), e);
        }
    }

    private static TlsMaterial fromFiles(Path cert, Path key, Vertx vertx) throws IOException, CertificateException {
        if (!Files.isReadable(cert)) {
            throw new IOException("--tls-cert-file " + cert + " does not exist or is not readable");
        }
        if (!Files.isReadable(key)) {
            throw new IOException("--tls-key-file " + key + " does not exist or is not readable");
        }
        List<X509Certificate> chain = readCertificates(Files.readAllBytes(cert));
        if (chain.isEmpty()) {
            throw new IOException("--tls-cert-file " + cert + " holds no PEM certificate");
        }
        try {
            // Vert.x would only fail at listen time, with less to go on: check the pair now.
            new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()).getKeyManagerFactory(vertx);
        } catch (Exception e) {
            throw new IOException("--tls-cert-file/--tls-key-file cannot be used: " + e.getMessage(), e);
        }
        // The top of the chain the file holds is what agents pin (the CA when the file carries it).
        return new TlsMaterial(cert, key, chain.get(chain.size() - 1));
    }

    private static TlsMaterial generated(Path dir, CaKeeper keeper, String listenHost, List<String> extraSans)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Files.createDirectories(dir);
        java.util.Optional<CaPem> kept = keeper.load();
        CaPem caPem;
        if (kept.isPresent()) {
            caPem = kept.get();
        } else {
            KeyPair pair = newKeyPair();
            CaPem generated = new CaPem(pem("CERTIFICATE", encoded(caCertificate(pair))),
                    pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            caPem = keeper.keep(generated);
            if (caPem.equals(generated)) {
                LOG.info("Generated the manager's CA in {}", keeper.describe());
            }
        }
        List<X509Certificate> certs = readCertificates(caPem.certificate().getBytes(StandardCharsets.US_ASCII));
        if (certs.isEmpty()) {
            throw new IOException("the CA in " + keeper.describe() + " holds no certificate; restore it from a backup, or"
                    + " delete it to create a new CA (agents and CLI configs must then be re-issued)");
        }
        X509Certificate ca = certs.get(0);
        PrivateKey caPrivate = readPrivateKey(caPem.privateKey());
        LOG.info("Manager CA from {}: pin sha256:{}", keeper.describe(), CertificateHashes.publicKeySha256(ca));
        KeyPair serving = newKeyPair();
        Set<String> names = servingNames(listenHost, extraSans);
        X509Certificate cert = servingCertificate(serving, ca, caPrivate, names);
        Path servingCert = dir.resolve("server.crt");
        Path servingKey = dir.resolve("server.key");
        PrivateFiles.write(servingKey, pem("PRIVATE KEY", serving.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII));
        PrivateFiles.write(servingCert, (pem("CERTIFICATE", encoded(cert)) + pem("CERTIFICATE", encoded(ca)))
                .getBytes(StandardCharsets.US_ASCII));
        LOG.info("Serving certificate issued by the manager's CA for {}", names);
        return new TlsMaterial(servingCert, servingKey, ca);
    }

    /** Names and addresses a client may reach this manager by. */
    static Set<String> servingNames(String listenHost, List<String> extraSans) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        boolean wildcard = listenHost == null || listenHost.isEmpty() || listenHost.equals("0.0.0.0")
                || listenHost.equals("::") || listenHost.equals("[::]");
        if (!wildcard) {
            names.add(listenHost.replace("[", "").replace("]", ""));
        }
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getHostName());
            names.add(local.getCanonicalHostName());
            if (wildcard) {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    Collections.list(nic.getInetAddresses()).forEach(a -> names.add(a.getHostAddress().replaceAll("%.*$", "")));
                }
            }
        } catch (IOException e) {
            LOG.debug("host names not known: {}", e.toString());
        }
        names.addAll(extraSans);
        names.removeIf(String::isBlank);
        return names;
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate caCertificate(KeyPair pair) throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name name = new X500Name("CN=flotilla-manager-ca");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(300)),
                Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
        return sign(builder, pair.getPrivate());
    }

    private static X509Certificate servingCertificate(KeyPair pair, X509Certificate ca, PrivateKey caKey, Set<String> names)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minusSeconds(300)),
                Date.from(now.plus(SERVING_VALIDITY)), new X500Name("CN=flotilla-manager"), pair.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            sans.add(isAddress(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        return sign(builder, caKey);
    }

    private static boolean isAddress(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, CertificateException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom());
    }

    public static List<X509Certificate> readCertificates(byte[] pem) throws CertificateException {
        return PemCertificates.read(pem);
    }

    private static PrivateKey readPrivateKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** TLS with ALPN (h2 for gRPC, HTTP/1.1 for curl and browsers) on the manager's one port. */
    public HttpServerOptions apply(HttpServerOptions options) {
        return options.setSsl(true).setUseAlpn(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()));
    }

    /** {@code sha256:<hex>} of the CA's public key: what registration tokens carry. */
    public String caPin() {
        return "sha256:" + CertificateHashes.publicKeySha256(ca);
    }

    /** The CA certificate (PEM) clients trust. */
    public String caPem() {
        return caPem;
    }

    public Buffer caPemBuffer() {
        return Buffer.buffer(caPem);
    }
}

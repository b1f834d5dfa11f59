package io.flotilla.manager.security;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.flotilla.manager.api.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * What a client needs to talk to a manager, like a kubeconfig: the server URL, a bearer token, and the CA that
 * signed the manager's certificate. The manager writes one with an admin token into its data dir
 * ({@code admin.conf}, mode 0600) and {@code bin/flotilla manager} copies it to the user's config
 * ({@code $FLOTILLA_CONFIG}, default {@code ~/.flotilla/config}). YAML:
 * <pre>
 * apiVersion: flotilla.io/v1alpha1
 * kind: ClientConfig
 * server: https://127.0.0.1:8080
 * token: flu1.admin.…
 * certificateAuthorityData: &lt;base64 of the CA's PEM&gt;
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientConfig(String apiVersion, String kind, String server, String token, String certificateAuthorityData) {
    public static final String ENV_CONFIG = "FLOTILLA_CONFIG";
    public static final String ENV_TOKEN = "FLOTILLA_TOKEN";
    public static final String ENV_SERVER = "FLOTILLA_SERVER";
    /** The admin client config the manager keeps in its data dir. */
    public static final String ADMIN_FILE = "admin.conf";

    public static ClientConfig of(String server, String token, String caPem) {
        return new ClientConfig("flotilla.io/v1alpha1", "ClientConfig", server, token,
                caPem == null ? null : Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** {@code $FLOTILLA_CONFIG}, or {@code ~/.flotilla/config}. */
    public static Path defaultPath() {
        String env = System.getenv(ENV_CONFIG);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".flotilla", "config");
    }

    public static ClientConfig load(Path file) throws IOException {
        try {
            ClientConfig c = Json.YAML.readValue(Files.readString(file), ClientConfig.class);
            if (c == null) {
                throw new IOException("it is empty");
            }
            return c;
        } catch (IOException e) {
            throw new IOException("client config " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    public void save(Path file) throws IOException {
        PrivateFiles.write(file, Json.YAML.writeValueAsBytes(this));
    }

    public ClientConfig withServer(String newServer, String caPem) {
        return of(newServer, token, caPem);
    }

    /** The CA PEM, or null for a cleartext manager (or one with a publicly trusted certificate). */
    public String caPem() {
        return certificateAuthorityData == null || certificateAuthorityData.isBlank() ? null
                : new String(Base64.getDecoder().decode(certificateAuthorityData.trim()), StandardCharsets.US_ASCII);
    }

    /** An SSLContext for {@link java.net.http.HttpClient} trusting only this config's CA (the JDK's when none). */
    public SSLContext sslContext() {
        return sslContext(caPem());
    }

    public static SSLContext sslContext(String caPem) {
        try {
            if (caPem == null) {
                return SSLContext.getDefault();
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            List<X509Certificate> certs = PemCertificates.read(caPem.getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < certs.size(); i++) {
                trust.setCertificateEntry("ca-" + i, certs.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the CA in the client config is unusable: " + e.getMessage(), e);
        }
    }

    /** Vert.x client options (gRPC over h2) for {@code server}: TLS trusting the CA for https, h2c for http. */
    public static HttpClientOptions grpcClientOptions(URI server, String caPem) {
        HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
        if ("https".equalsIgnoreCase(server.getScheme())) {
            options.setSsl(true).setUseAlpn(true);
            if (caPem != null) {
                options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem)));
            }
        }
        return options;
    }

    /** Never print the token. */
    @Override
    public String toString() {
        return "ClientConfig[server=" + server + "]";
    }
}

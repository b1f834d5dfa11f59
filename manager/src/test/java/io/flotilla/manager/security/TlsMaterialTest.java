package io.flotilla.manager.security;

import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.testing.ManagerClient;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The manager's TLS material (generated CA, given PEM files) and what a client sees of it on a real port. */
class TlsMaterialTest {
    static Vertx vertx;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.close().await();
    }

    @Test
    void replicasSharingAStoreServeUnderOneCaKeptInAReservedSecret(@TempDir Path dir) throws Exception {
        try (io.flotilla.manager.store.MvStoreStore store = io.flotilla.manager.store.MvStoreStore.open(dir.resolve("store"))) {
            TlsMaterial a = TlsMaterial.prepare(TlsSettings.generated(), dir.resolve("a"), "127.0.0.1", vertx,
                    new SecretCaKeeper(store));
            TlsMaterial b = TlsMaterial.prepare(TlsSettings.generated(), dir.resolve("b"), "127.0.0.1", vertx,
                    new SecretCaKeeper(store));
            assertThat(b.caPin()).as("the second replica uses the CA the first one kept").isEqualTo(a.caPin());
            assertThat(Files.exists(dir.resolve("a/tls/ca.key"))).as("the CA key is not left in a replica's data dir").isFalse();
            var secret = store.get(SecretCaKeeper.KEY).orElseThrow();
            assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
            assertThat(io.flotilla.manager.security.policy.CredentialSecrets.isReserved(SecretCaKeeper.KEY.namespace(),
                    SecretCaKeeper.KEY.name())).as("not reachable through the public Secrets API").isTrue();

            // a replica that lost the race to keep its own CA takes the one kept first
            TlsMaterial.CaPem other = new TlsMaterial.CaPem("other", "other");
            assertThat(new SecretCaKeeper(store).keep(other).certificate()).isNotEqualTo("other").startsWith("-----BEGIN CERTIFICATE-----");
        }
    }

    @Test
    void aGeneratedCaIsKeptAcrossStartsAndSignsACertificateForTheListenNames(@TempDir Path dataDir) throws Exception {
        TlsMaterial first = TlsMaterial.prepare(TlsSettings.generated().withExtraSans(List.of("flotilla.example", "10.1.2.3")),
                dataDir, "127.0.0.2", vertx);
        TlsMaterial second = TlsMaterial.prepare(TlsSettings.generated(), dataDir, "127.0.0.1", vertx);
        assertThat(second.caPin()).as("same CA on restart: agents' pins stay valid").isEqualTo(first.caPin()).startsWith("sha256:");
        for (String key : new String[]{"ca.key", "server.key"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("tls").resolve(key))))
                    .as(key).isEqualTo("rw-------");
        }
        List<X509Certificate> chain = TlsMaterial.readCertificates(Files.readAllBytes(dataDir.resolve("tls/server.crt")));
        assertThat(chain).hasSize(2);
        chain.get(0).verify(chain.get(1).getPublicKey());
        assertThat(CertificateHashes.publicKeySha256(chain.get(1))).isEqualTo(second.caPin().substring(7));
        assertThat(chain.get(1).getBasicConstraints()).as("the CA is a CA").isGreaterThanOrEqualTo(0);
        assertThat(chain.get(0).getBasicConstraints()).as("the leaf is not").isEqualTo(-1);
        assertThat(TlsMaterial.servingNames("127.0.0.2", List.of("flotilla.example", "10.1.2.3")))
                .contains("localhost", "127.0.0.1", "::1", "127.0.0.2", "flotilla.example", "10.1.2.3");
    }

    @Test
    void givenPemFilesAreServedAndTheTopOfTheirChainIsPinned(@TempDir Path dir) throws Exception {
        // PEM files as an operator would bring them (here made by the generator in another dir)
        TlsMaterial origin = TlsMaterial.prepare(TlsSettings.generated(), dir.resolve("elsewhere"), "127.0.0.1", vertx);
        Path cert = dir.resolve("elsewhere/tls/server.crt");
        Path key = dir.resolve("elsewhere/tls/server.key");
        TlsMaterial files = TlsMaterial.prepare(TlsSettings.files(cert, key), dir.resolve("data"), "127.0.0.1", vertx);
        assertThat(files.caPin()).isEqualTo(origin.caPin());
        assertThat(dir.resolve("data/tls")).as("nothing generated").doesNotExist();

        assertThatThrownBy(() -> TlsMaterial.prepare(TlsSettings.files(dir.resolve("missing.crt"), key), dir, "127.0.0.1", vertx))
                .hasMessageContaining("--tls-cert-file").hasMessageContaining("missing.crt");
        Path garbage = dir.resolve("garbage.key");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsMaterial.prepare(TlsSettings.files(cert, garbage), dir, "127.0.0.1", vertx))
                .hasMessageContaining("cannot be used");
        assertThatThrownBy(() -> new TlsSettings(cert, null, false, List.of())).hasMessageContaining("go together");
    }

    @Test
    void theManagerServesTlsOnlyToClientsThatTrustItsCa(@TempDir Path dir) throws Exception {
        Manager manager = Manager.start(ManagerConfig.defaults(dir.resolve("a"), "127.0.0.1", 0))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            ManagerClient admin = ManagerClient.admin(manager);
            assertThat(admin.server().getScheme()).isEqualTo("https");
            assertThat(admin.config().caPem()).contains("BEGIN CERTIFICATE");
            assertThat(admin.send("GET", "/apis/flotilla.io/v1alpha1/gitrepos", null).statusCode()).isEqualTo(200);

            // cleartext to the TLS port: no answer but a failed exchange
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
            URI http = URI.create("http://127.0.0.1:" + manager.port() + "/healthz");
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);

            // a client that trusts another CA (the JDK's) refuses the manager's certificate
            HttpClient jdkTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
            assertThatThrownBy(() -> jdkTrust.send(HttpRequest.newBuilder(URI.create(admin.server() + "/healthz"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);

            // the registration token carries the CA's pin as its fifth part
            HttpResponse<String> token = admin.send("POST", "/apis/flotilla.io/v1alpha1/namespaces/fleet-default/clusterregistrationtokens",
                    "{\"metadata\":{\"name\":\"t\"}}");
            String value = io.flotilla.manager.api.Json.MAPPER.readTree(token.body()).path("status").path("token").asText();
            String pin = CertificateHashes.publicKeySha256(TlsMaterial.readCertificates(
                    admin.config().caPem().getBytes(StandardCharsets.US_ASCII)).get(0));
            assertThat(value.split("\\.")).hasSize(5).endsWith(pin);
        } finally {
            manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void plaintextIsServedOnlyWhenAskedFor(@TempDir Path dir) throws Exception {
        Manager manager = Manager.start(ManagerConfig.defaults(dir, "127.0.0.1", 0).withPlaintext())
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            ManagerClient admin = ManagerClient.admin(manager);
            assertThat(admin.server().getScheme()).isEqualTo("http");
            assertThat(admin.config().caPem()).isNull();
            assertThat(admin.send("GET", "/apis/flotilla.io/v1alpha1/gitrepos", null).statusCode()).isEqualTo(200);
            assertThat(dir.resolve("tls")).doesNotExist();
        } finally {
            manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}

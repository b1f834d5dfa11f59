package io.flotilla.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes API server for tests: etcd and kube-apiserver (built by {@code kube/build.sh} from the Go
 * module proxy) as child processes on free 127.0.0.1 ports, with their own CA, bearer-token users and an audit
 * log, so tests can count the requests a component made. No controller-manager runs: Deployments get no Pods,
 * namespaces stay Terminating once deleted, and readiness is set through the {@code /status} subresource.
 *
 * <p>Users (all bearer tokens, see {@link #kubeconfig(User)}): {@link User#ADMIN} for the test itself,
 * {@link User#AGENT} for the component under test (cluster-admin, but counted separately in the audit log), and
 * {@link User#RESTRICTED}, which RBAC allows nothing until a test grants it.
 */
public final class KubeApiServer implements AutoCloseable {
    public static final String VERSION = "v1.32.13";
    private static final Logger LOG = LoggerFactory.getLogger(KubeApiServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The identities the server knows, each with its own bearer token. */
    public enum User {
        ADMIN("admin", "system:masters"),
        AGENT("flotilla-agent", "system:masters"),
        RESTRICTED("restricted", "");

        final String userName;
        final String group;

        User(String userName, String group) {
            this.userName = userName;
            this.group = group;
        }

        public String userName() {
            return userName;
        }
    }

    private final String name;
    private final Path dir;
    private final Path binaries;
    private final Map<User, String> tokens;
    private final int etcdPort;
    private final int etcdPeerPort;
    private int apiPort;
    private Process etcd;
    private Process apiServer;
    private KubernetesClient adminClient;
    private final List<KubernetesClient> clients = new ArrayList<>();

    private KubeApiServer(String name, Path dir, Path binaries) throws IOException {
        this.name = name;
        this.dir = dir;
        this.binaries = binaries;
        this.tokens = Map.of(User.ADMIN, randomToken(), User.AGENT, randomToken(), User.RESTRICTED, randomToken());
        this.etcdPort = freePort();
        this.etcdPeerPort = freePort();
        this.apiPort = freePort();
    }

    /**
     * Builds the binaries if needed (see {@link KubeBinaries}) and starts etcd and kube-apiserver in {@code dir};
     * returns once {@code /readyz} answers ok.
     */
    public static KubeApiServer start(String name, Path dir) throws IOException {
        KubeApiServer server = new KubeApiServer(name, dir, KubeBinaries.directory());
        try {
            server.writePki();
            server.startEtcd();
            server.startApiServer();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public URI url() {
        return URI.create("https://127.0.0.1:" + apiPort);
    }

    /** The kubeconfig of {@code user}, written once into the server's directory. */
    public Path kubeconfig(User user) {
        Path file = dir.resolve(user.userName + ".kubeconfig");
        if (!Files.exists(file)) {
            try {
                String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("pki/ca.crt")));
                Files.writeString(file, """
                        apiVersion: v1
                        kind: Config
                        clusters:
                        - name: %1$s
                          cluster: {server: "%2$s", certificate-authority-data: %3$s}
                        contexts:
                        - name: %1$s
                          context: {cluster: %1$s, user: %4$s, namespace: default}
                        current-context: %1$s
                        users:
                        - name: %4$s
                          user: {token: %5$s}
                        """.formatted(name, url(), ca, user.userName, tokens.get(user)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    /** The kubeconfig an agent under test uses: {@link User#AGENT}. */
    public Path kubeconfig() {
        return kubeconfig(User.AGENT);
    }

    /** A client for the test itself ({@link User#ADMIN}); closed with the server. */
    public synchronized KubernetesClient client() {
        if (adminClient == null) {
            adminClient = newClient(User.ADMIN);
        }
        return adminClient;
    }

    /** A new client acting as {@code user}; closed with the server. */
    public synchronized KubernetesClient newClient(User user) {
        try {
            KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig(user)))).build();
            clients.add(client);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The requests {@code user} completed so far, from the API server's audit log (one JSON object per request,
     * fields as in {@code audit.k8s.io/v1} Event: verb, requestURI, objectRef, responseStatus).
     */
    public List<JsonNode> requests(User user) {
        return requests(e -> user.userName.equals(e.path("user").path("username").asText()));
    }

    public List<JsonNode> requests(Predicate<JsonNode> filter) {
        List<JsonNode> events = new ArrayList<>();
        Path log = dir.resolve("audit.log");
        if (!Files.exists(log)) {
            return events;
        }
        try {
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                if (filter.test(event)) {
                    events.add(event);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    /**
     * Waits until every request completed before this call is in the audit log (the log is written as requests
     * complete): sends a marker request and waits for its event. Call it before counting requests.
     */
    public void awaitAuditBarrier() {
        String marker = "audit-barrier-" + randomToken().substring(0, 12);
        try {
            client().namespaces().withName(marker).get();
        } catch (RuntimeException ignored) {
            // the request is what matters, not its answer
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (requests(e -> e.path("requestURI").asText().contains(marker)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("audit event of " + marker + " not written within 10 s");
            }
            try {
                Thread.sleep(20); // polling a file another process appends to
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Write requests (create, update, patch and apply, delete) of {@code user} so far. */
    public List<JsonNode> writes(User user) {
        return requests(user).stream().filter(KubeApiServer::isWrite).toList();
    }

    public static boolean isWrite(JsonNode auditEvent) {
        if (auditEvent.path("requestURI").asText().contains("dryRun=All")) {
            return false; // a server-side dry run persists nothing
        }
        return switch (auditEvent.path("verb").asText()) {
            case "create", "update", "patch", "delete", "deletecollection" -> true;
            default -> false;
        };
    }

    /** Stops kube-apiserver only (etcd keeps the data): clients see the API go away. */
    public void stopApiServer() {
        stop(apiServer, "kube-apiserver");
        apiServer = null;
    }

    /** Starts kube-apiserver again on the same port, with the same data, users and CA. */
    public void restartApiServer() throws IOException {
        if (apiServer != null && apiServer.isAlive()) {
            return;
        }
        startApiServer();
    }

    /** PIDs of the running processes (etcd, kube-apiserver), for footprint measurements. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        if (etcd != null && etcd.isAlive()) {
            pids.add(etcd.pid());
        }
        if (apiServer != null && apiServer.isAlive()) {
            pids.add(apiServer.pid());
        }
        return pids;
    }

    @Override
    public synchronized void close() {
        clients.forEach(KubernetesClient::close);
        clients.clear();
        adminClient = null;
        stop(apiServer, "kube-apiserver");
        stop(etcd, "etcd");
        apiServer = null;
        etcd = null;
    }

    private void writePki() throws IOException {
        Path pki = dir.resolve("pki");
        Files.createDirectories(pki);
        openssl(pki, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=flotilla-test-ca",
                "-keyout", "ca.key", "-out", "ca.crt");
        openssl(pki, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=kube-apiserver",
                "-keyout", "apiserver.key", "-out", "apiserver.csr");
        Files.writeString(pki.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,"
                + "DNS:kubernetes.default,DNS:kubernetes.default.svc\n");
        openssl(pki, "x509", "-req", "-in", "apiserver.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "apiserver.crt");
        openssl(pki, "genrsa", "-out", "sa.key", "2048");
        openssl(pki, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub");
        StringBuilder csv = new StringBuilder();
        tokens.forEach((user, token) -> csv.append(token).append(',').append(user.userName).append(',')
                .append(user.userName).append(user.group.isEmpty() ? "" : ",\"" + user.group + "\"").append('\n'));
        Files.writeString(pki.resolve("tokens.csv"), csv);
        // Metadata of every completed request: who, verb, object, response code (no bodies).
        Files.writeString(dir.resolve("audit-policy.yaml"), """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: [RequestReceived, ResponseStarted]
                rules:
                - level: Metadata
                """);
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void startEtcd() throws IOException {
        String client = "http://127.0.0.1:" + etcdPort;
        String peer = "http://127.0.0.1:" + etcdPeerPort;
        etcd = launch("etcd", List.of(binaries.resolve("etcd").toString(),
                "--name", "flotilla", "--data-dir", dir.resolve("etcd-data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "flotilla=" + peer,
                // test data: durability across a machine crash does not matter, speed does
                "--unsafe-no-fsync", "--quota-backend-bytes", String.valueOf(2L << 30),
                "--logger", "zap", "--log-level", "warn", "--log-outputs", "stderr"));
        awaitHttp(etcd, "etcd", URI.create(client + "/health"), null);
    }

    private void startApiServer() throws IOException {
        Path pki = dir.resolve("pki");
        apiServer = launch("kube-apiserver", List.of(binaries.resolve("kube-apiserver").toString(),
                "--etcd-servers", "http://127.0.0.1:" + etcdPort,
                "--bind-address", "127.0.0.1", "--secure-port", String.valueOf(apiPort),
                // no default route may exist; loopback cannot be an Endpoints address, so nothing reconciles them
                "--advertise-address", "127.0.0.1", "--endpoint-reconciler-type", "none",
                "--cert-dir", pki.toString(),
                "--tls-cert-file", pki.resolve("apiserver.crt").toString(),
                "--tls-private-key-file", pki.resolve("apiserver.key").toString(),
                "--client-ca-file", pki.resolve("ca.crt").toString(),
                "--token-auth-file", pki.resolve("tokens.csv").toString(),
                "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file", pki.resolve("sa.pub").toString(),
                "--service-account-signing-key-file", pki.resolve("sa.key").toString(),
                "--service-cluster-ip-range", "10.0.0.0/24",
                "--authorization-mode", "RBAC",
                "--audit-policy-file", dir.resolve("audit-policy.yaml").toString(),
                "--audit-log-path", dir.resolve("audit.log").toString(),
                "--audit-log-format", "json", "--audit-log-mode", "blocking",
                "--allow-privileged=true", "--profiling=false", "--v=1"));
        awaitHttp(apiServer, "kube-apiserver", URI.create(url() + "/readyz"), tokens.get(User.ADMIN));
    }

    private Process launch(String what, List<String> command) throws IOException {
        Path log = dir.resolve(what + ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        LOG.info("{}: started {} (pid {}), log {}", name, what, process.pid(), log);
        return process;
    }

    private void awaitHttp(Process process, String what, URI uri, String token) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(what + " of " + name + " exited with " + process.exitValue() + ": "
                        + tail(dir.resolve(what + ".log")));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
                if (c instanceof HttpsURLConnection https) {
                    https.setSSLSocketFactory(sslContext().getSocketFactory());
                }
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                if (token != null) {
                    c.setRequestProperty("Authorization", "Bearer " + token);
                }
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(100); // polling a child process's start, not waiting in a test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting " + what, e);
            }
        }
        throw new IOException(what + " of " + name + " not ready after " + START_TIMEOUT.toSeconds() + " s ("
                + (last == null ? "not 200" : last) + "): " + tail(dir.resolve(what + ".log")));
    }

    private SSLContext sslContext() throws IOException {
        try (var in = Files.newInputStream(dir.resolve("pki/ca.crt"))) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private void stop(Process process, String what) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                LOG.warn("{}: {} (pid {}) ignored SIGTERM for 15 s; killing it", name, what, process.pid());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static String randomToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

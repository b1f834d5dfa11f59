package io.flotilla.manager.git;

import io.flotilla.manager.git.GitFetchException.Reason;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.resolver.RepositoryResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JGitFetcherMockTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret-token-value";
    private static final GitCredentials GOOD = GitCredentials.basic(USER, PASSWORD);

    static GitSource source(String url, String branch, String revision, GitCredentials credentials) {
        return new GitSource("ns/repo", url, branch, revision, credentials, false, null);
    }

    static String read(FetchResult result, String path) throws Exception {
        return Files.readString(result.checkout().resolve(path));
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    @Test
    void clonesAndFetchesAFileUrl(@TempDir Path server, @TempDir Path cache) throws Exception {
        try (TestRepo repo = TestRepo.create(server.resolve("local"), "main")) {
            RevCommit first = repo.commit("f", "1");
            GitSource source = source(server.resolve("local").toUri().toString(), null, null, null);
            JGitFetcher fetcher = JGitFetcher.create(cache);
            assertThat(source.url()).startsWith("file:");

            assertThat(fetcher.fetch(source).commit()).isEqualTo(first.name());
            RevCommit second = repo.commit("f", "2");
            FetchResult result = fetcher.fetch(source);
            assertThat(result.commit()).isEqualTo(second.name());
            assertThat(read(result, "f")).isEqualTo("2");
        }
    }

    /** Smart HTTP (Jetty + GitServlet) with BASIC auth, plus HTTPS with a self-signed certificate for 127.0.0.1. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class SmartHttp {
        Path serverDir;
        HttpGitServer server;
        String caPem;
        final List<TestRepo> repos = new ArrayList<>();

        @BeforeAll
        void startServer(@TempDir Path dir) throws Exception {
            serverDir = dir;
            Path keyStore = serverDir.resolve("server.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "git", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                    "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(),
                    "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                ks.load(in, "changeit".toCharArray());
            }
            Certificate cert = ks.getCertificate("git");
            caPem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
            server = HttpGitServer.start(USER, PASSWORD, keyStore, "changeit");
            newRepo("unknownrev.git", "main").commit("a", "a");
        }

        @AfterAll
        void stopServer() throws Exception {
            server.close();
            repos.forEach(TestRepo::close);
        }

        TestRepo newRepo(String name, String initialBranch) throws Exception {
            TestRepo repo = TestRepo.create(serverDir.resolve(name), initialBranch);
            repos.add(repo);
            server.serve(name, repo.repository());
            return repo;
        }

        @Test
        void clonesThenFetchesANewCommit(@TempDir Path cache) throws Exception {
            TestRepo repo = newRepo("update.git", "main");
            RevCommit first = repo.commit("app/config.yaml", "replicas: 1\n");
            JGitFetcher fetcher = JGitFetcher.create(cache);
            GitSource source = source(server.url("update.git"), "main", null, GOOD);

            FetchResult cloned = fetcher.fetch(source);
            assertThat(cloned.commit()).isEqualTo(first.name());
            assertThat(read(cloned, "app/config.yaml")).isEqualTo("replicas: 1\n");
            assertThat(cloned.checkout()).isEqualTo(fetcher.checkoutDir(source));

            RevCommit second = repo.commit("app/config.yaml", "replicas: 3\n");
            repo.commit("app/extra.yaml", "kind: ConfigMap\n");
            RevCommit third = repo.repository().parseCommit(repo.repository().resolve("HEAD"));
            assertThat(fetcher.remoteCommit(source)).isEqualTo(third.name()).isNotEqualTo(second.name());

            FetchResult fetched = fetcher.fetch(source);
            assertThat(fetched.commit()).isEqualTo(third.name());
            assertThat(read(fetched, "app/config.yaml")).isEqualTo("replicas: 3\n");
            assertThat(read(fetched, "app/extra.yaml")).isEqualTo("kind: ConfigMap\n");
            assertThat(fetched.checkout()).isEqualTo(cloned.checkout());
        }

        @Test
        void removesFilesDeletedUpstreamAndStrayFiles(@TempDir Path cache) throws Exception {
            TestRepo repo = newRepo("delete.git", "main");
            repo.commit("a.yaml", "a\n");
            repo.commit("b.yaml", "b\n");
            JGitFetcher fetcher = JGitFetcher.create(cache);
            GitSource source = source(server.url("delete.git"), "main", null, GOOD);
            FetchResult first = fetcher.fetch(source);
            Files.writeString(first.checkout().resolve("stray.txt"), "left by someone");

            org.eclipse.jgit.api.Git.wrap(repo.repository()).rm().addFilepattern("b.yaml").call();
            repo.commit("a.yaml", "a2\n");
            FetchResult second = fetcher.fetch(source);

            assertThat(second.checkout().resolve("b.yaml")).doesNotExist();
            assertThat(second.checkout().resolve("stray.txt")).doesNotExist();
            assertThat(read(second, "a.yaml")).isEqualTo("a2\n");
        }

        @Test
        void wrongCredentialsFailAndKeepThePreviousCheckout(@TempDir Path cache) throws Exception {
            TestRepo repo = newRepo("auth.git", "main");
            RevCommit first = repo.commit("app.yaml", "v1\n");
            JGitFetcher fetcher = JGitFetcher.create(cache);
            FetchResult ok = fetcher.fetch(source(server.url("auth.git"), "main", null, GOOD));
            repo.commit("app.yaml", "v2\n");

            GitCredentials wrong = GitCredentials.basic(USER, "wrong-password-123");
            GitFetchException e = catchThrowableOfType(GitFetchException.class,
                    () -> fetcher.fetch(source(server.url("auth.git"), "main", null, wrong)));

            assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED);
            assertThat(e.getMessage()).isEqualTo("authentication failed for " + server.url("auth.git")
                    + ": check the username and password/token").doesNotContain("wrong-password-123");
            assertThat(read(ok, "app.yaml")).isEqualTo("v1\n");
            try (Repository cached = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                    .setWorkTree(ok.checkout().toFile()).build()) {
                assertThat(cached.resolve("HEAD").name()).isEqualTo(first.name());
            }
        }

        @Test
        void missingCredentialsFail(@TempDir Path cache) throws Exception {
            newRepo("nocreds.git", "main").commit("a", "a");
            GitFetchException e = catchThrowableOfType(GitFetchException.class,
                    () -> JGitFetcher.create(cache).fetch(source(server.url("nocreds.git"), "main", null, null)));
            assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED);
            assertThat(e.getMessage()).contains("needs credentials and none are given");
        }

        @Test
        void unknownBranchListsTheBranches(@TempDir Path cache) throws Exception {
            TestRepo repo = newRepo("branches.git", "main");
            repo.commit("a", "a");
            repo.checkout("dev");
            repo.commit("b", "b");
            GitSource source = source(server.url("branches.git"), "mian", null, GOOD);

            GitFetchException e = catchThrowableOfType(GitFetchException.class, () -> JGitFetcher.create(cache).fetch(source));

            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_BRANCH);
            assertThat(e.getMessage()).isEqualTo("branch \"mian\" not found in " + server.url("branches.git")
                    + " (branches: dev, main)");
        }

        @Test
        void unreachablePortFails(@TempDir Path cache) throws Exception {
            String url = "http://127.0.0.1:" + freePort() + "/repo.git";
            GitFetchException e = catchThrowableOfType(GitFetchException.class,
                    () -> JGitFetcher.create(cache).fetch(source(url, "main", null, GOOD)));
            assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(e.getMessage()).isEqualTo("cannot reach " + url + ": connection refused");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ftp://example.com/repo.git", "not a url", "https//missing-colon/repo"})
        void invalidUrlFails(String url, @TempDir Path cache) {
            GitFetchException e = catchThrowableOfType(GitFetchException.class,
                    () -> JGitFetcher.create(cache).fetch(source(url, null, null, null)));
            assertThat(e.reason()).isEqualTo(Reason.INVALID_URL);
            assertThat(e.getMessage()).startsWith("invalid git URL " + url);
        }

        @Test
        void unknownRepositoryFailsWithoutShowingThePasswordOfTheUrl(@TempDir Path cache) throws Exception {
            String url = server.url("missing.git").replace("http://", "http://" + USER + ":" + PASSWORD + "@");
            GitFetchException e = catchThrowableOfType(GitFetchException.class,
                    () -> JGitFetcher.create(cache).fetch(source(url, "main", null, null)));
            assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain(USER)
                    .contains(server.url("missing.git"));
            assertThat(e.reason()).isEqualTo(Reason.OTHER);
        }

        @Test
        void followsTheRemoteDefaultBranchWhenNoBranchIsSet(@TempDir Path cache) throws Exception {
            TestRepo repo = newRepo("default.git", "main");
            repo.commit("which", "main");
            repo.checkout("dev");
            RevCommit dev = repo.commit("which", "dev");
            repo.setDefaultBranch("dev");
            JGitFetcher fetcher = JGitFetcher.create(cache);
            GitSource source = source(server.url("default.git"), null, null, GOOD);

            FetchResult result = fetcher.fetch(source);

            assertThat(result.commit()).isEqualTo(dev.name());
            assertThat(read(result, "which")).isEqualTo("dev");
            assertThat(fetcher.remoteCommit(source)).isEqualTo(dev.name());
        }

        @Test
        void fleetDefaultsToMasterWhenNeitherBranchNorRevisionIsSet(@TempDir Path cache) throws Exception {
            newRepo("mainonly.git", "main").commit("a", "a");
            GitSource source = GitSource.forGitRepo("ns/repo", server.url("mainonly.git"), "", null, GOOD, false, null);

            GitFetchException e = catchThrowableOfType(GitFetchException.class, () -> JGitFetcher.create(cache).fetch(source));

            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_BRANCH);
            assertThat(e.getMessage()).startsWith("branch \"master\" not found");
        }

        @Test
        void checksOutTagsAndCommitIds(@TempDir Path cache) throws Exception {
            TestRepo repo = newRepo("revisions.git", "main");
            RevCommit v1 = repo.commit("version", "1");
            repo.lightweightTag("v1");
            RevCommit v2 = repo.commit("version", "2");
            repo.annotatedTag("v2");
            RevCommit v3 = repo.commit("version", "3");
            repo.commit("version", "4");
            JGitFetcher fetcher = JGitFetcher.create(cache);
            record Row(String revision, RevCommit commit, String content) {
            }
            List<Row> rows = List.of(new Row("v1", v1, "1"), new Row("v2", v2, "2"), new Row(v3.name(), v3, "3"),
                    new Row(v1.name(), v1, "1"), new Row(v3.name().substring(0, 10), v3, "3"));

            for (Row row : rows) {
                GitSource source = source(server.url("revisions.git"), null, row.revision(), GOOD);
                FetchResult result = fetcher.fetch(source);
                assertThat(result.commit()).as(row.revision()).isEqualTo(row.commit().name());
                assertThat(read(result, "version")).as(row.revision()).isEqualTo(row.content());
                assertThat(fetcher.remoteCommit(source)).as(row.revision()).isEqualTo(row.commit().name());
            }
        }

        @ParameterizedTest
        @CsvSource({
                "v9, 'revision \"v9\" not found in %s: it is neither a tag there nor a commit id'",
                "0123456789abcdef0123456789abcdef01234567, 'revision \"0123456789abcdef0123456789abcdef01234567\" not found in %s: no tag or commit there has that id'",
                "deadbeef42, 'revision \"deadbeef42\" not found in %s: no tag or commit there has that id'",
        })
        void unknownRevisionFails(String revision, String message, @TempDir Path cache) throws Exception {
            GitSource source = source(server.url("unknownrev.git"), null, revision, GOOD);
            GitFetchException e = catchThrowableOfType(GitFetchException.class, () -> JGitFetcher.create(cache).fetch(source));
            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_REVISION);
            assertThat(e.getMessage()).isEqualTo(message.formatted(server.url("unknownrev.git")));
        }

        @Test
        void branchWinsOverRevisionForAGitRepo(@TempDir Path cache) throws Exception {
            TestRepo repo = newRepo("both.git", "main");
            repo.commit("f", "tagged");
            repo.lightweightTag("v1");
            RevCommit head = repo.commit("f", "head");
            GitSource source = GitSource.forGitRepo("ns/repo", server.url("both.git"), "main", "v1", GOOD, false, null);
            assertThat(JGitFetcher.create(cache).fetch(source).commit()).isEqualTo(head.name());
        }

        @Test
        void reusesTheCacheAcrossFetcherInstances(@TempDir Path cache) throws Exception {
            TestRepo repo = newRepo("restart.git", "main");
            RevCommit first = repo.commit("a", "1");
            GitSource source = source(server.url("restart.git"), "main", null, GOOD);
            FetchResult cloned = JGitFetcher.create(cache).fetch(source);
            Path marker = cloned.checkout().resolve(".git/test-marker");
            Files.writeString(marker, "not a fresh clone");
            int downloads = server.packDownloads();

            FetchResult again = JGitFetcher.create(cache).fetch(source);
            assertThat(again.commit()).isEqualTo(first.name());
            assertThat(server.packDownloads()).as("commit already cached: no pack download").isEqualTo(downloads);
            assertThat(marker).exists();

            RevCommit second = repo.commit("a", "2");
            FetchResult updated = JGitFetcher.create(cache).fetch(source);
            assertThat(updated.commit()).isEqualTo(second.name());
            assertThat(server.packDownloads()).isEqualTo(downloads + 1);
            assertThat(marker).as("fetched into the existing clone").exists();
        }

        @Test
        void clonesAgainWhenTheCacheIsCorrupt(@TempDir Path cache) throws Exception {
            TestRepo repo = newRepo("corrupt.git", "main");
            RevCommit commit = repo.commit("a", "content");
            JGitFetcher fetcher = JGitFetcher.create(cache);
            GitSource source = source(server.url("corrupt.git"), "main", null, GOOD);
            FetchResult first = fetcher.fetch(source);
            org.eclipse.jgit.util.FileUtils.delete(first.checkout().resolve(".git/objects").toFile(),
                    org.eclipse.jgit.util.FileUtils.RECURSIVE);

            FetchResult second = fetcher.fetch(source);

            assertThat(second.commit()).isEqualTo(commit.name());
            assertThat(read(second, "a")).isEqualTo("content");
        }

        @Test
        void concurrentFetchesOfOneRepoAreSerialised(@TempDir Path cache) throws Exception {
            TestRepo repo = newRepo("concurrent.git", "main");
            RevCommit commit = repo.commit("a", "content");
            GitSource source = source(server.url("concurrent.git"), "main", null, GOOD);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<FetchResult>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    calls.add(() -> JGitFetcher.create(cache).fetch(source));
                }
                for (Future<FetchResult> result : pool.invokeAll(calls)) {
                    assertThat(result.get().commit()).isEqualTo(commit.name());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(Files.list(cache)).hasSize(1);
        }

        @Test
        void httpsWithCaBundleOrInsecureSkipTlsVerify(@TempDir Path cache) throws Exception {
            RevCommit commit = newRepo("tls.git", "main").commit("a", "over tls");
            String url = server.httpsUrl("tls.git");
            JGitFetcher fetcher = JGitFetcher.create(cache);

            GitFetchException untrusted = catchThrowableOfType(GitFetchException.class,
                    () -> fetcher.fetch(new GitSource("ns/plain", url, "main", null, GOOD, false, null)));
            assertThat(untrusted.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(untrusted.getMessage()).startsWith("TLS connection to " + url + " failed: ")
                    .endsWith("; set caBundle to the server's CA or, for testing only, insecureSkipTLSVerify");

            assertThat(fetcher.fetch(new GitSource("ns/ca", url, "main", null, GOOD, false, caPem)).commit())
                    .isEqualTo(commit.name());
            assertThat(fetcher.fetch(new GitSource("ns/insecure", url, "main", null, GOOD, true, null)).commit())
                    .isEqualTo(commit.name());

            GitFetchException badBundle = catchThrowableOfType(GitFetchException.class,
                    () -> fetcher.fetch(new GitSource("ns/bad", url, "main", null, GOOD, false, "not a certificate")));
            assertThat(badBundle.getMessage()).startsWith("caBundle for " + url + " is not a valid PEM certificate bundle");
        }
    }

    /** git:// served by JGit's Daemon. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class GitDaemon {
        Path serverDir;
        Daemon daemon;
        TestRepo repo;
        TestRepo history;

        @BeforeAll
        void startDaemon(@TempDir Path dir) throws Exception {
            serverDir = dir;
            repo = TestRepo.create(serverDir.resolve("daemon.git"), "main");
            history = TestRepo.create(serverDir.resolve("history.git"), "main");
            Map<String, TestRepo> repos = Map.of("/daemon.git", repo, "/history.git", history);
            daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
            RepositoryResolver<org.eclipse.jgit.transport.DaemonClient> resolver = (client, name) -> {
                TestRepo served = repos.get(name.startsWith("/") ? name : "/" + name);
                if (served == null) {
                    throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name);
                }
                served.repository().incrementOpen();
                return served.repository();
            };
            daemon.setRepositoryResolver(resolver);
            daemon.start();
        }

        @AfterAll
        void stopDaemon() throws Exception {
            daemon.stopAndWait();
            repo.close();
            history.close();
        }

        @Test
        void deepensAShallowCloneToAnOlderCommitId(@TempDir Path cache) throws Exception {
            RevCommit old = history.commit("f", "old");
            RevCommit tip = history.commit("f", "new");
            String url = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/history.git";
            JGitFetcher fetcher = JGitFetcher.create(cache);
            FetchResult shallow = fetcher.fetch(source(url, "main", null, null));
            assertThat(shallow.commit()).isEqualTo(tip.name());

            FetchResult result = fetcher.fetch(source(url, null, old.name(), null));

            assertThat(result.commit()).isEqualTo(old.name());
            assertThat(read(result, "f")).isEqualTo("old");
        }

        @Test
        void clonesAndFetches(@TempDir Path cache) throws Exception {
            String url = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/daemon.git";
            RevCommit first = repo.commit("a", "1");
            JGitFetcher fetcher = JGitFetcher.create(cache);
            GitSource source = source(url, null, null, null);

            assertThat(fetcher.fetch(source).commit()).isEqualTo(first.name());
            RevCommit second = repo.commit("a", "2");
            assertThat(fetcher.remoteCommit(source)).isEqualTo(second.name());
            FetchResult result = fetcher.fetch(source);
            assertThat(result.commit()).isEqualTo(second.name());
            assertThat(read(result, "a")).isEqualTo("2");
        }
    }

    /** SSH with public-key auth (Apache MINA sshd running JGit's UploadPack). */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Ssh {
        Path serverDir;
        SshGitServer server;
        TestRepo repo;
        KeyPair hostKey;
        KeyPair rsaClientKey;
        KeyPair ed25519ClientKey;
        String knownHosts;

        @BeforeAll
        void startServer(@TempDir Path dir) throws Exception {
            serverDir = dir;
            hostKey = ed25519();
            rsaClientKey = rsa();
            ed25519ClientKey = ed25519();
            repo = TestRepo.create(serverDir.resolve("ssh.git"), "main");
            server = SshGitServer.start(hostKey, List.of(rsaClientKey.getPublic(), ed25519ClientKey.getPublic()));
            server.serve("ssh.git", repo.repository());
            knownHosts = "# test server\n"
                    + "github.com " + PublicKeyEntry.toString(rsa().getPublic()) + "\n"
                    + "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n";
        }

        @AfterAll
        void stopServer() throws Exception {
            server.close();
            repo.close();
        }

        @ParameterizedTest
        @ValueSource(strings = {"rsa", "ed25519"})
        void clonesAndFetchesWithAnOpenSshKey(String keyType, @TempDir Path cache) throws Exception {
            KeyPair clientKey = keyType.equals("rsa") ? rsaClientKey : ed25519ClientKey;
            RevCommit first = repo.commit("ssh", keyType + "-1");
            GitSource source = source(server.url("ssh.git"), "main", null, GitCredentials.ssh(openSsh(clientKey), knownHosts));
            JGitFetcher fetcher = JGitFetcher.create(cache);

            assertThat(fetcher.fetch(source).commit()).isEqualTo(first.name());
            RevCommit second = repo.commit("ssh", keyType + "-2");
            assertThat(fetcher.remoteCommit(source)).isEqualTo(second.name());
            FetchResult result = fetcher.fetch(source);
            assertThat(result.commit()).isEqualTo(second.name());
            assertThat(read(result, "ssh")).isEqualTo(keyType + "-2");
        }

        @Test
        void skipsKnownHostsLinesItCannotRead(@TempDir Path cache) throws Exception {
            RevCommit head = repo.commit("skip", "x");
            String withJunk = "example.com ssh-unknown-type AAAAB3Nza\nnot a known_hosts line\n" + knownHosts;
            GitSource source = source(server.url("ssh.git"), "main", null, GitCredentials.ssh(openSsh(rsaClientKey), withJunk));
            assertThat(JGitFetcher.create(cache).remoteCommit(source)).isEqualTo(head.name());
        }

        @Test
        void acceptsAPkcs8PemKey(@TempDir Path cache) throws Exception {
            RevCommit head = repo.commit("pem", "pkcs8");
            String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(rsaClientKey.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
            GitSource source = source(server.url("ssh.git"), "main", null, GitCredentials.ssh(pem, knownHosts));
            assertThat(JGitFetcher.create(cache).remoteCommit(source)).isEqualTo(head.name());
        }

        @Test
        void wrongKeyFails(@TempDir Path cache) throws Exception {
            repo.commit("x", "x");
            GitSource source = source(server.url("ssh.git"), "main", null, GitCredentials.ssh(openSsh(rsa()), knownHosts));
            GitFetchException e = catchThrowableOfType(GitFetchException.class, () -> JGitFetcher.create(cache).fetch(source));
            assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED);
            assertThat(e.getMessage()).isEqualTo("authentication failed for " + server.url("ssh.git")
                    + ": check the SSH private key (its public key must be authorised for the repository)");
        }

        @Test
        void unknownHostKeyFails(@TempDir Path cache) throws Exception {
            String otherHost = "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(rsa().getPublic()) + "\n";
            GitSource source = source(server.url("ssh.git"), "main", null, GitCredentials.ssh(openSsh(rsaClientKey), otherHost));
            GitFetchException e = catchThrowableOfType(GitFetchException.class, () -> JGitFetcher.create(cache).fetch(source));
            assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED);
            assertThat(e.getMessage()).startsWith("host key verification failed for " + server.url("ssh.git")
                    + ": the host key ssh-ed25519 SHA256:").contains("of [127.0.0.1]:" + server.port()
                    + " is not in known_hosts of the credentials; add the server's host key to known_hosts");
        }

        @Test
        void missingKnownHostsFails(@TempDir Path cache) throws Exception {
            GitSource source = source(server.url("ssh.git"), "main", null, GitCredentials.ssh(openSsh(ed25519ClientKey), null));
            GitFetchException e = catchThrowableOfType(GitFetchException.class, () -> JGitFetcher.create(cache).fetch(source));
            assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED);
            assertThat(e.getMessage()).contains("no known_hosts in the credentials: cannot verify the host key SHA256:");
        }

        @Test
        void unreadableKeyFailsWithoutQuotingIt(@TempDir Path cache) {
            String garbage = "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END OPENSSH PRIVATE KEY-----\n";
            GitSource source = source(server.url("ssh.git"), "main", null, GitCredentials.ssh(garbage, knownHosts));
            GitFetchException e = catchThrowableOfType(GitFetchException.class, () -> JGitFetcher.create(cache).fetch(source));
            assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED);
            assertThat(e.getMessage()).startsWith("the SSH private key in the credentials cannot be read")
                    .doesNotContain("c2VjcmV0");
        }

        private static KeyPair rsa() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }

        private static KeyPair ed25519() throws Exception {
            return org.apache.sshd.common.config.keys.KeyUtils.generateKeyPair(
                    org.apache.sshd.common.keyprovider.KeyPairProvider.SSH_ED25519, 256);
        }

        private static String openSsh(KeyPair key) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", null, out);
            return out.toString(StandardCharsets.US_ASCII);
        }
    }
}

package io.flotilla.e2e.support;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;

/**
 * Debian's headless Chromium driven through its chromedriver (packages {@code chromium}, {@code chromium-driver};
 * {@code .ci/run} installs them). Missing binaries fail the test with what to install: a browser test never skips.
 */
public final class HeadlessChromium {
    public static final Path CHROMIUM = Path.of(System.getProperty("flotilla.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("flotilla.chromedriver", "/usr/bin/chromedriver"));

    private HeadlessChromium() {
    }

    /**
     * A fresh browser profile in {@code profileDir} that accepts exactly the certificate {@code server} presents
     * (pinned by its public key, as the manager's CA is not in the system store) and reaches nothing else on its own.
     */
    public static ChromeDriver start(Path profileDir, URI server, SSLContext trusting) throws Exception {
        for (Path binary : new Path[]{CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(binary)) {
                throw new AssertionError(binary + " is missing: the dashboard's browser test needs Debian's headless "
                        + "Chromium (apt-get install -y chromium chromium-driver; .ci/run installs them)");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profileDir.toAbsolutePath());
        if ("https".equals(server.getScheme())) {
            options.addArguments("--ignore-certificate-errors-spki-list=" + spkiHash(server, trusting));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }

    /** base64(SHA-256(SubjectPublicKeyInfo)) of the certificate the server presents, as Chromium pins it. */
    static String spkiHash(URI server, SSLContext trusting) throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket(server.getHost(), server.getPort())) {
            socket.startHandshake();
            Certificate leaf = socket.getSession().getPeerCertificates()[0];
            byte[] spki = leaf.getPublicKey().getEncoded();
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        }
    }
}

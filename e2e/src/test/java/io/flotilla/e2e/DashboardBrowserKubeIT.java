package io.flotilla.e2e;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.e2e.support.HeadlessChromium;
import io.flotilla.e2e.support.RestClient;
import io.flotilla.e2e.support.StatusWatcher;
import io.flotilla.proto.v1.StatusFilter;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser: a manager, a git daemon and an agent against a real kube-apiserver; headless
 * Chromium signs in with a viewer token, shows the GitRepo and its per-cluster BD, and follows an agent's report
 * (a Deployment becoming ready) within a second, without reloading. Saves a screenshot to {@code docs/dashboard.png}.
 */
@ExtendWith(RequiresKubeApiServer.class)
class DashboardBrowserKubeIT {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: nginx:1.27}]
            """;
    private static final String REPO_ROW = "tr.gitrepo[data-key='fleet-default/shop']";

    @TempDir
    Path dir;
    Fleet fleet;
    StatusWatcher watcher;
    ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("config/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  k: v\n");
        fleet.git.write("config/fleet.yaml", "defaultNamespace: shop\n");
        fleet.git.write("web/deployment.yaml", DEPLOYMENT);
        fleet.git.write("web/fleet.yaml", "defaultNamespace: shop\n");
        fleet.addCluster("edge-1", Map.of("env", "prod"));
        watcher = new StatusWatcher(fleet.rest, StatusFilter.newBuilder().addKinds("GitRepo").setNamespace(Fleet.NS).build());
        fleet.createGitRepo("shop", "[{\"name\":\"prod\",\"clusterSelector\":{\"matchLabels\":{\"env\":\"prod\"}}}]");
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (watcher != null) {
            watcher.close();
        }
        fleet.close();
    }

    @Test
    void viewerSignsInSeesTheGitRepoAndFollowsAnAgentReportWithoutReloading() throws Exception {
        URI server = fleet.managerUrl();
        RestClient.Reply created = fleet.rest.call("POST", "/auth/v1/usertokens", "{\"name\":\"dashboard\",\"role\":\"viewer\"}");
        assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
        String viewerToken = created.body().path("token").asText();

        // The page itself is open and locked down; the data behind it is not.
        HttpClient http = HttpClient.newBuilder().sslContext(fleet.rest.config().sslContext()).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.resolve("/ui/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy").orElse(""))
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
        assertThat(page.body()).doesNotContain("<script>").contains("src=\"app.js\"");
        assertThat(http.send(HttpRequest.newBuilder(server.resolve("/status/watch?kind=GitRepo")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);

        await("the Deployment reached edge-1, not ready (no controller)").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(deployment()).isNotNull();
            assertThat(fleet.object(io.flotilla.manager.api.Kind.GIT_REPO, "shop").path("status").path("display")
                    .path("readyBundleDeployments").asText()).isEqualTo("1/2");
        });

        browser = HeadlessChromium.start(dir.resolve("chromium-profile"), server, fleet.rest.config().sslContext());
        browser.get(server.resolve("/ui/").toString());
        await("sign-in form").atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(viewerToken);
        browser.findElement(By.id("sign-in")).click();

        await("GitRepo row shown, NotReady").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("dashboard (viewer)");
            assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("live");
            assertThat(text(REPO_ROW + " td.state")).isEqualTo("NotReady");
            assertThat(text(REPO_ROW + " td.ready-bds")).isEqualTo("1/2");
        });
        assertThat(browser.getCurrentUrl()).doesNotContain(viewerToken);
        assertThat(browser.executeScript("return document.cookie")).isEqualTo("");

        // Drill down: bundles, and per cluster the BD with its non-ready resource.
        click(REPO_ROW);
        await("drill-down").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String detail = text("tr.detail");
            assertThat(detail).contains("Bundle shop-web", "Bundle shop-config", "edge-1", "Deployment shop/web");
            assertThat(text(REPO_ROW + " td.commit")).matches("[0-9a-f]{12}");
        });
        saveScreenshot();

        // An agent's report changes the page within a second, with no reload (the marker survives).
        browser.executeScript("window.flotillaNoReload = 'still here'");
        Instant before = Instant.now();
        setDeploymentReady();
        Instant shown = null;
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if ("Ready".equals(text(REPO_ROW + " td.state"))) {
                shown = Instant.now();
                break;
            }
            Thread.sleep(10);
        }
        assertThat(shown).as("the page showed the GitRepo Ready").isNotNull();
        StatusWatcher.Received published = watcher.first("shop", before,
                st -> st.path("display").path("readyBundleDeployments").asText().equals("2/2"));
        assertThat(published).as("the manager published the agent's report").isNotNull();
        Duration lag = Duration.between(published.at(), shown);
        System.out.println("dashboard: agent report published → shown in the browser in " + lag.toMillis() + " ms");
        assertThat(lag).isLessThan(Duration.ofSeconds(1));
        assertThat(browser.executeScript("return window.flotillaNoReload")).isEqualTo("still here");
        assertThat(text(REPO_ROW + " td.ready-bds")).isEqualTo("2/2");
        await("the drill-down follows").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(text("tr.detail")).doesNotContain("Deployment shop/web"));

        // Filters: a state filter that excludes Ready hides the row; back to all shows it.
        choose("filter-state", "not-ready");
        assertThat(browser.findElements(By.cssSelector(REPO_ROW))).isEmpty();
        choose("filter-state", "");
        choose("filter-namespace", "fleet-default");
        assertThat(browser.findElements(By.cssSelector(REPO_ROW))).hasSize(1);

        // Clusters: online, with its BDs.
        browser.findElement(By.id("tab-clusters")).click();
        String clusterRow = "tr.cluster[data-key='fleet-default/edge-1']";
        await("cluster row").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(text(clusterRow + " td.agent")).isEqualTo("online");
            assertThat(text(clusterRow)).contains("env=prod");
        });
        click(clusterRow);
        await("cluster drill-down").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(text("#clusters tr.detail")).contains("shop-web", "shop-config"));
        // The agent goes away: the cluster turns offline on the page, still without a reload.
        fleet.stopAgent("edge-1");
        await("offline").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(text(clusterRow + " td.agent")).isEqualTo("offline"));
        assertThat(browser.executeScript("return window.flotillaNoReload")).isEqualTo("still here");

        // Signing out forgets the token.
        browser.findElement(By.id("logout")).click();
        assertThat(browser.executeScript("return sessionStorage.length")).isEqualTo(0L);
        assertThat(browser.findElement(By.id("token")).isDisplayed()).isTrue();
    }

    /** Picks an option as a user does: the select changes and fires its change event. */
    private void choose(String selectId, String value) {
        browser.executeScript("const s = document.getElementById(arguments[0]); s.value = arguments[1];"
                + "s.dispatchEvent(new Event('change'));", selectId, value);
        assertThat(browser.executeScript("return document.getElementById(arguments[0]).value", selectId)).isEqualTo(value);
    }

    /** Clicks the first match, found and clicked in one step (rows are replaced on every change). */
    private void click(String css) {
        assertThat(browser.executeScript("const e = document.querySelector(arguments[0]);"
                + "if (e) { e.click(); } return e !== null", css)).as(css).isEqualTo(true);
    }

    /** The text of the first match, read in one step (the page replaces its rows on every change). */
    private String text(String css) {
        return (String) browser.executeScript("const e = document.querySelector(arguments[0]);"
                + "return e ? e.innerText.trim() : null", css);
    }

    private Deployment deployment() {
        return kube().apps().deployments().inNamespace("shop").withName("web").get();
    }

    private KubernetesClient kube() {
        return fleet.clusters.get("edge-1").client();
    }

    private void setDeploymentReady() {
        Deployment d = deployment();
        d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
                .withUpdatedReplicas(1).withObservedGeneration(d.getMetadata().getGeneration()).build());
        kube().apps().deployments().inNamespace("shop").resource(d).updateStatus();
    }

    /** docs/dashboard.png of the project (found from the module directory the tests run in). */
    private void saveScreenshot() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !(Files.isDirectory(root.resolve("docs")) && Files.exists(root.resolve("e2e/pom.xml")))) {
            root = root.getParent();
        }
        assertThat(root).as("project root above " + Path.of("").toAbsolutePath()).isNotNull();
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        assertThat(png.length).isGreaterThan(1000);
        Files.write(root.resolve("docs/dashboard.png"), png);
    }
}

package io.flotilla.e2e;

import io.flotilla.cli.FlotillaCli;
import io.flotilla.e2e.support.Fleet;
import io.flotilla.testkit.RequiresKubeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/flotilla apply -f F --wait} against a manager, a git daemon and an agent on a real kube-apiserver: exit
 * code 0 once the GitRepo is Ready, with progress lines; non-zero with the failing bundle and its reason when an
 * object cannot be applied.
 */
@ExtendWith(RequiresKubeApiServer.class)
class ApplyWaitKubeIT {
    @TempDir
    Path dir;
    Fleet fleet;

    @BeforeEach
    void start() throws Exception {
        fleet = new Fleet(dir);
        fleet.git.write("good/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  k: v\n");
        fleet.git.write("good/fleet.yaml", "defaultNamespace: shop\n");
        // a kind this cluster does not serve: the agent's apply fails (ErrApplied) with the API server's reason
        fleet.git.write("bad/widget.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec: {}\n");
        fleet.git.write("bad/fleet.yaml", "defaultNamespace: shop\n");
        fleet.addCluster("edge-1", Map.of("env", "prod"));
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    record Run(int code, String out, String err) {
    }

    private Run apply(String name, String paths, String timeout) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                apiVersion: flotilla.io/v1alpha1
                kind: GitRepo
                metadata:
                  name: %s
                  namespace: fleet-default
                spec:
                  repo: %s
                  branch: main
                  pollingInterval: 1s
                  paths: [%s]
                  targets:
                  - clusterSelector: {matchLabels: {env: prod}}
                """.formatted(name, fleet.git.url(), paths));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = FlotillaCli.commandLine().execute("apply", "-f", file.toString(), "--wait", "--timeout", timeout,
                    "--config", fleet.manager.adminConfigFile().toString());
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void exitsZeroOnceReady() throws Exception {
        Run run = apply("shop", "good", "2m");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("gitrepos/shop created", "gitrepos/shop: 1/1 bundledeployments ready, 1/1 clusters ready, Ready",
                "gitrepos/shop is Ready");
        assertThat(fleet.clusters.get("edge-1").client().configMaps().inNamespace("shop").withName("settings").get()).isNotNull();
    }

    @Test
    void exitsNonZeroWithTheFailingBundleAndItsReason() throws Exception {
        Run run = apply("mixed", "good, bad", "20s");
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("gitrepos/mixed created", "gitrepos/mixed: 1/2 bundledeployments ready");
        assertThat(run.err()).contains("error: timed out after 20s waiting for Ready:", "gitrepos/mixed: 1/2 bundledeployments ready",
                "bundle mixed-bad: ", "no matches for kind \"Widget\" in version \"example.com/v1\"");
        assertThat(run.err()).doesNotContain("Exception");
    }
}

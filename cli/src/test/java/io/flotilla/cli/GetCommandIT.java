package io.flotilla.cli;

import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code get -l}, {@code -o wide} and {@code --watch} against a real manager (TLS, admin client config) on 127.0.0.1. */
class GetCommandIT {
    @TempDir
    Path dir;
    Manager manager;
    String config;

    @BeforeEach
    void start() throws Exception {
        manager = Manager.start(ManagerConfig.defaults(dir.resolve("data"), "127.0.0.1", 0))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        config = manager.adminConfigFile().toString();
        apply(gitRepo("web-dev", "dev", "apps/web") + gitRepo("web-prod", "prod", "apps/web") + gitRepo("db-dev", "dev", "db"));
    }

    @AfterEach
    void stop() throws Exception {
        manager.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String gitRepo(String name, String env, String path) {
        return "apiVersion: flotilla.io/v1alpha1\nkind: GitRepo\nmetadata:\n  name: " + name + "\n  labels: {env: " + env
                + ", app: " + name.substring(0, name.indexOf('-')) + "}\nspec:\n  repo: https://git.example.invalid/org/"
                + name + ".git\n  branch: release\n  paths: [" + path + "]\n---\n";
    }

    private void apply(String yaml) throws Exception {
        Path file = Files.createTempFile(dir, "objects", ".yaml");
        Files.writeString(file, yaml);
        TargetCommandTest.Run run = TargetCommandTest.run("apply", "-f", file.toString(), "--config", config);
        assertThat(run.code()).as(run.err()).isZero();
    }

    private static List<String> names(String table) {
        return table.lines().skip(1).map(l -> l.split("\\s+")[1]).toList();
    }

    @Test
    void labelSelectorPicksTheMatchingObjects() {
        TargetCommandTest.Run dev = TargetCommandTest.run("get", "gitrepos", "-l", "env=dev", "--config", config);
        assertThat(dev.code()).as(dev.err()).isZero();
        assertThat(names(dev.out())).containsExactlyInAnyOrder("web-dev", "db-dev");

        TargetCommandTest.Run set = TargetCommandTest.run("get", "gitrepos", "-l", "env in (dev,prod),app!=db", "--config", config);
        assertThat(names(set.out())).containsExactlyInAnyOrder("web-dev", "web-prod");

        TargetCommandTest.Run none = TargetCommandTest.run("get", "gitrepos", "--selector", "env=staging", "--config", config);
        assertThat(none.code()).isZero();
        assertThat(names(none.out())).isEmpty();

        TargetCommandTest.Run bad = TargetCommandTest.run("get", "gitrepos", "-l", "env in (dev", "--config", config);
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: labelSelector: ").doesNotContain("Exception");
    }

    @Test
    void wideOutputAddsColumns() {
        TargetCommandTest.Run narrow = TargetCommandTest.run("get", "gitrepos", "--config", config);
        TargetCommandTest.Run wide = TargetCommandTest.run("get", "gitrepos", "-o", "wide", "--config", config);
        assertThat(wide.code()).as(wide.err()).isZero();
        String header = wide.out().lines().findFirst().orElseThrow();
        assertThat(header).contains("BRANCH", "PATHS", "CLUSTERS-READY", "AGE");
        assertThat(narrow.out().lines().findFirst().orElseThrow()).doesNotContain("BRANCH");
        String webDev = wide.out().lines().filter(l -> l.contains("web-dev")).findFirst().orElseThrow();
        assertThat(webDev).contains("release", "apps/web").containsPattern("\\d+s$");
    }

    @Test
    void watchPrintsAChangedAndADeletedObjectUntilInterrupted() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] code = {-1};
        Thread watcher;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            watcher = new Thread(() -> code[0] = FlotillaCli.commandLine().execute("get", "gitrepos", "-l", "env=dev",
                    "--watch", "--watch-interval", "200ms", "--config", config));
            watcher.start();
            await("the list").atMost(Duration.ofSeconds(20)).until(() -> out.toString(StandardCharsets.UTF_8).contains("db-dev"));
            int listed = out.toString(StandardCharsets.UTF_8).length();
            apply(gitRepo("cache-dev", "dev", "cache") + gitRepo("cache-prod", "prod", "cache"));
            await("the new object").atMost(Duration.ofSeconds(10)).until(() ->
                    out.toString(StandardCharsets.UTF_8).substring(listed).contains("cache-dev"));
            assertThat(TargetCommandTest.run("delete", "gitrepos", "db-dev", "--config", config).code()).isZero();
            await("the deletion").atMost(Duration.ofSeconds(10)).until(() ->
                    out.toString(StandardCharsets.UTF_8).contains("fleet-default db-dev (deleted)"));
            watcher.interrupt();
            watcher.join(10_000);
        } finally {
            System.setOut(stdout);
        }
        assertThat(watcher.isAlive()).isFalse();
        assertThat(code[0]).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("cache-prod");
    }
}

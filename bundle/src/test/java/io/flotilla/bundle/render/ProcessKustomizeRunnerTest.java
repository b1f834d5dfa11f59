package io.flotilla.bundle.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locating and running kustomize, with fake executables (shell scripts) in place of the real ones. */
class ProcessKustomizeRunnerTest {

    @TempDir
    Path tmp;

    @Test
    void missingBinarySaysWhatToInstallOrConfigure() throws IOException {
        Path emptyBin = Files.createDirectory(tmp.resolve("bin"));
        var runner = new ProcessKustomizeRunner(null, emptyBin.toString(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> runner.build(tmp))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("neither 'kustomize' nor 'kubectl' was found on PATH (" + emptyBin + ")")
                .hasMessageContaining("install kustomize")
                .hasMessageContaining("configure the path of a kustomize binary");
    }

    @Test
    void missingBinaryErrorNamesBundleAndKustomization() throws IOException {
        Path emptyBin = Files.createDirectory(tmp.resolve("bin"));
        var ctx = RenderContext.of("r", Files.createDirectory(tmp.resolve("work")),
                new ProcessKustomizeRunner(null, emptyBin.toString(), Duration.ofSeconds(5)));
        var resources = TestBundles.of("kustomization.yaml", "resources: [cm.yaml]\n", "cm.yaml", "kind: ConfigMap\n");

        assertThatThrownBy(() -> new BundleRenderer(TestBundles.NO_CHARTS)
                .render("kbundle", resources, BundleDeploymentOptions.empty(), ctx))
                .isInstanceOfSatisfying(RenderException.class, e -> {
                    assertThat(e.bundle()).isEqualTo("kbundle");
                    assertThat(e.file()).isEqualTo("kustomization.yaml");
                    assertThat(e.getMessage()).startsWith("bundle kbundle: kustomization.yaml: this bundle needs"
                            + " kustomize, but neither 'kustomize' nor 'kubectl' was found on PATH");
                });
    }

    @Test
    void configuredBinaryThatDoesNotExistIsReported() {
        var runner = ProcessKustomizeRunner.withBinary(tmp.resolve("nowhere/kustomize"));

        assertThatThrownBy(() -> runner.build(tmp))
                .hasMessageContaining("the configured kustomize binary " + tmp.resolve("nowhere/kustomize")
                        + " does not exist or is not executable");
    }

    @Test
    void prefersKustomizeOverKubectlAndUsesTheRightSubcommand() throws Exception {
        Path first = Files.createDirectory(tmp.resolve("first"));
        Path second = Files.createDirectory(tmp.resolve("second"));
        Path kubectl = script(first, "kubectl", "echo kubectl");
        Path kustomize = script(second, "kustomize", "echo kustomize");
        String path = first + File.pathSeparator + second;

        var runner = new ProcessKustomizeRunner(null, path, Duration.ofSeconds(5));
        assertThat(runner.command(tmp)).containsExactly(kustomize.toString(), "build", tmp.toString());

        var kubectlOnly = new ProcessKustomizeRunner(null, first.toString(), Duration.ofSeconds(5));
        assertThat(kubectlOnly.command(tmp)).containsExactly(kubectl.toString(), "kustomize", tmp.toString());
    }

    @Test
    void returnsStandardOutput() throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        script(bin, "kustomize", "echo \"kind: ConfigMap # $1 $(basename $2)\"");

        String output = new ProcessKustomizeRunner(null, bin.toString(), Duration.ofSeconds(10)).build(tmp);

        assertThat(output).isEqualTo("kind: ConfigMap # build " + tmp.getFileName() + "\n");
    }

    @Test
    void failureCarriesExitCodeAndStandardError() throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        script(bin, "kustomize", "echo 'Error: accumulating resources: missing.yaml' >&2\nexit 3");

        var runner = new ProcessKustomizeRunner(null, bin.toString(), Duration.ofSeconds(10));

        assertThatThrownBy(() -> runner.build(tmp))
                .hasMessageEndingWith("failed (exit 3): Error: accumulating resources: missing.yaml");
    }

    @Test
    void timesOut() throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        script(bin, "kustomize", "exec sleep 30");

        var runner = new ProcessKustomizeRunner(null, bin.toString(), Duration.ofMillis(300));

        assertThatThrownBy(() -> runner.build(tmp)).hasMessageEndingWith("timed out after 300ms");
    }

    private static Path script(Path dir, String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

}

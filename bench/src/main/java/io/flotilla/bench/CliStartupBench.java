package io.flotilla.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code cli-startup}: wall time of whole {@code bin/flotilla} processes, as a user or a script pays it (launcher
 * script, JVM start, command, exit): {@code --help}; {@code get gitrepos} against a running manager (TLS, admin
 * token, five GitRepos); {@code test -l env=dev} on a directory shaped like fleet-examples' guestbook manifests. One
 * unmeasured run of each first (it may build the project or the class archive, once per build); then the median of
 * {@code runs} runs.
 */
final class CliStartupBench {
    private CliStartupBench() {
    }

    static Report run(String commit, int runs) throws Exception {
        Report report = new Report("cli-startup", commit);
        Path root = Path.of(System.getProperty("flotilla.root", "")).toAbsolutePath();
        Path launcher = root.resolve("bin/flotilla");
        Path examples = root.resolve("bundle/src/test/resources/examples/guestbook-manifests");
        ObjectNode p = report.parameters();
        p.put("runs", runs).put("launcher", "bin/flotilla").put("testDirectory", root.relativize(examples).toString())
                .put("manager", "in the bench JVM, TLS (generated CA), embedded store, 5 GitRepos")
                .put("method", "wall time from process start to exit, median of the runs after one unmeasured run");
        for (String env : List.of("FLOTILLA_JAVA_OPTS", "FLOTILLA_CLI_CDS")) {
            if (System.getenv(env) != null) {
                p.put("env." + env, System.getenv(env));
            }
        }
        Path dir = Files.createTempDirectory("flotilla-bench-cli");
        Manager manager = Manager.start(ManagerConfig.defaults(dir.resolve("data"), "127.0.0.1", 0))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            Path config = manager.adminConfigFile();
            StringBuilder repos = new StringBuilder();
            for (int i = 1; i <= 5; i++) {
                repos.append("apiVersion: flotilla.io/v1alpha1\nkind: GitRepo\nmetadata:\n  name: app-").append(i)
                        .append("\n  namespace: fleet-default\nspec:\n  repo: https://git.example.com/org/app-").append(i)
                        .append(".git\n  branch: main\n---\n");
            }
            Path file = dir.resolve("gitrepos.yaml");
            Files.writeString(file, repos);
            once(launcher, dir, "apply", List.of("apply", "-f", file.toString(), "--config", config.toString()), "created");

            ArrayNode raw = report.raw().putArray("runs");
            measure(report, raw, launcher, dir, "help", List.of("--help"), "Usage: flotilla", runs, 0.4);
            measure(report, raw, launcher, dir, "get", List.of("get", "gitrepos", "--config", config.toString()), "app-5",
                    runs, 0.6);
            measure(report, raw, launcher, dir, "test", List.of("test", "-l", "env=dev", examples.toString()),
                    "kind: Deployment", runs, 1.0);
            report.raw().put("loadAverageAtEnd", Report.loadAverage());
        } finally {
            manager.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            BenchManager.deleteTree(dir);
        }
        return report;
    }

    private static void measure(Report report, ArrayNode raw, Path launcher, Path dir, String name, List<String> args,
                                String expected, int runs, double budgetSeconds) throws Exception {
        once(launcher, dir, name, args, expected);
        double[] seconds = new double[runs];
        double[] cpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            double before = childrenCpuSeconds();
            seconds[i] = once(launcher, dir, name, args, null);
            cpu[i] = childrenCpuSeconds() - before;
        }
        ObjectNode r = raw.addObject();
        r.put("command", "bin/flotilla " + String.join(" ", args));
        r.set("seconds", io.flotilla.manager.api.Json.MAPPER.valueToTree(seconds));
        r.set("cpuSeconds", io.flotilla.manager.api.Json.MAPPER.valueToTree(cpu));
        r.put("loadAverage", Report.loadAverage());
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        report.figure(name + "_median", Math.round(median * 1000) / 1000.0, budgetSeconds, "s");
        report.info(name + "_min", Math.round(sorted[0] * 1000) / 1000.0, "s");
        double[] cpuSorted = cpu.clone();
        Arrays.sort(cpuSorted);
        // CPU time (user + system, launcher and JVM) depends less on what else the machine runs than wall time
        report.info(name + "_cpu_median", Math.round(cpuSorted[runs / 2] * 1000) / 1000.0, "CPU-s");
    }

    /** User + system time of this JVM's finished (waited-for) child processes: fields 16 and 17 of /proc/self/stat. */
    private static double childrenCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ", field 3 (state) is f[0]: cutime (16) and cstime (17) are f[13] and f[14]
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / (double) AgentFootprintBench.clockTicks();
    }

    /** One process run: its wall time in seconds; fails on a non-zero exit or (when given) output without {@code expected}. */
    private static double once(Path launcher, Path dir, String name, List<String> args, String expected)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        Path out = dir.resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        long start = System.nanoTime();
        Process process = pb.start();
        if (!process.waitFor(Duration.ofMinutes(10).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/flotilla " + String.join(" ", args) + " did not finish");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String output = Files.readString(out);
        if (process.exitValue() != 0 || expected != null && !output.contains(expected)) {
            throw new IllegalStateException("bin/flotilla " + String.join(" ", args) + " exited " + process.exitValue()
                    + (expected == null ? "" : " (expected \"" + expected + "\" in its output)") + ":\n" + output);
        }
        return seconds;
    }
}

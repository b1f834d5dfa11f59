package io.flotilla.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code bench/run EXPERIMENT|all}: runs experiments, writes their JSON reports, prints BENCH lines. */
public final class BenchMain {
    private static final List<String> EXPERIMENTS = List.of("targeting", "status", "status-10k", "fleet-50x50", "kube-50x50", "gitops", "agent-memory",
            "agent-footprint", "cli-startup");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Path reports = Path.of("bench/reports");
        String commit = "unknown";
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reports" -> reports = Path.of(args[++i]);
                case "--commit" -> commit = args[++i];
                case "--list" -> {
                    EXPERIMENTS.forEach(System.out::println);
                    return;
                }
                case "all" -> wanted.addAll(EXPERIMENTS);
                default -> wanted.add(args[i]);
            }
        }
        if (wanted.isEmpty()) {
            System.err.println("usage: bench/run EXPERIMENT|all|--list   (experiments: " + String.join(", ", EXPERIMENTS) + ")");
            System.exit(2);
        }
        boolean allPass = true;
        for (String experiment : wanted) {
            Report report = switch (experiment) {
                case "targeting" -> TargetingBench.run(commit, 1000, 10_000, 100);
                case "status" -> StatusBench.run(commit, new StatusBench.Setup("status", 1000, 10, 200, 30, 1, 2, 20));
                case "status-10k" -> StatusBench.run(commit, new StatusBench.Setup("status-10k", 10_000, 2, 200, 30, 100, 0, 250));
                case "fleet-50x50" -> FleetBench.run(commit, 50, 50, 5);
                case "kube-50x50" -> KubeFleetBench.run(commit, Integer.getInteger("bench.repeats", 3)); // fewer only to investigate
                case "gitops" -> GitOpsBench.run(commit, 50, 5);
                case "agent-memory" -> AgentMemoryBench.run(commit, 1000, 100, 50);
                // BENCH_JAVA_OPTS=-Dfootprint.helm=false skips the Helm phase; footprint.settle/window shorten it
                case "agent-footprint" -> AgentFootprintBench.run(commit, AgentFootprintBench.Setup.fromProperties());
                case "cli-startup" -> CliStartupBench.run(commit, Integer.getInteger("cli.runs", 10));
                default -> {
                    System.err.println("unknown experiment " + experiment + " (known: " + String.join(", ", EXPERIMENTS) + ")");
                    System.exit(2);
                    yield null;
                }
            };
            Path file = report.write(reports);
            System.out.println("report: " + file);
            allPass &= report.allPass();
        }
        System.exit(allPass ? 0 : 1);
    }
}

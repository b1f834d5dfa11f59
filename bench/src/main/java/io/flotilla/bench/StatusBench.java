package io.flotilla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.reader.BundleScanner;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.store.StoreListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Status propagation: agent report → GitRepo event on a {@code StatusService.Watch} stream. N simulated
 * agents are connected; K GitRepos of one bundle each target all of them (K×N BDs), every BD first reported
 * applied and not Ready. Reports then go out at a fixed rate, round-robin over the GitRepos, each turning one
 * more BD of its GitRepo Ready, so the GitRepo's ready count rises by exactly one per report: first a light
 * phase (20 reports/s, 10 s: the latency of one report on an idle manager), then the steady phase at the
 * budgeted rate. A report's latency runs from just before the agent writes it to the arrival of the first watch
 * event whose ready count includes it; reports of one GitRepo are matched in send order (a coalesced event
 * completes several). With K GitRepos a GitRepo sees a report every K/rate seconds, so reports of one GitRepo
 * are rarely in flight together; two applied out of order would have their latencies swapped, never lost.
 * The same reports are matched against their BD status writes in the store, to tell the store's share apart.
 */
final class StatusBench {
    private static final int LIGHT_RATE = 20;
    private static final int LIGHT_SECONDS = 10;
    private static final long CATCH_UP_SECONDS = 90;

    /** @param p50BudgetMs 0 when only the p99 has a budget */
    record Setup(String experiment, int agents, int gitRepos, int reportsPerSecond, int steadySeconds,
                 int streamsPerConnection, double p50BudgetMs, double p99BudgetMs) {
    }

    private record PhaseResult(int sent, double[] watchMs, double[] storeMs, long events, double seconds) {
    }

    private final Setup setup;
    private final Map<String, Integer> gitRepoIndex = new ConcurrentHashMap<>();
    private final List<Queue<Long>> sentForWatch = new ArrayList<>();
    private final List<Queue<Long>> sentForStore = new ArrayList<>();
    private final int[] matched;
    private final boolean[] atBaseline;
    private final Milestone baseline;
    private final AtomicLong events = new AtomicLong();
    private final int[] nextAgent;
    private volatile Queue<Long> watchLatencies = new ConcurrentLinkedQueue<>();
    private volatile Queue<Long> storeLatencies = new ConcurrentLinkedQueue<>();

    private StatusBench(Setup setup) {
        this.setup = setup;
        int k = setup.gitRepos();
        matched = new int[k];
        atBaseline = new boolean[k];
        nextAgent = new int[k];
        baseline = new Milestone(k);
        for (int g = 0; g < k; g++) {
            gitRepoIndex.put(gitRepo(g), g);
            sentForWatch.add(new ConcurrentLinkedQueue<>());
            sentForStore.add(new ConcurrentLinkedQueue<>());
        }
    }

    static Report run(String commit, Setup s) throws Exception {
        return new StatusBench(s).run(commit);
    }

    private Report run(String commit) throws Exception {
        Setup s = setup;
        Report report = new Report(s.experiment(), commit);
        ObjectNode p = report.parameters();
        p.put("agents", s.agents()).put("gitRepos", s.gitRepos()).put("bdsPerGitRepo", s.agents())
                .put("reportsPerSecond", s.reportsPerSecond()).put("steadySeconds", s.steadySeconds())
                .put("lightPhase", LIGHT_RATE + " reports/s for " + LIGHT_SECONDS + " s before the steady phase")
                .put("watch", "StatusService.Watch(kinds=[GitRepo], namespace=fleet-default) on its own connection")
                .put("latency", "System.nanoTime before the agent's stream write → arrival of the first GitRepo event "
                        + "counting the report (display.readyBundleDeployments); manager, agents and watcher share this JVM");
        if (LIGHT_RATE * LIGHT_SECONDS + s.reportsPerSecond() * s.steadySeconds() > s.gitRepos() * s.agents()) {
            throw new IllegalArgumentException("each report needs a BD of its own: raise agents or gitRepos");
        }
        Path gitDir = Files.createTempDirectory("flotilla-bench-git");
        try (LocalGitServer git = LocalGitServer.start(gitDir); BenchManager m = BenchManager.start(s.experiment());
             SimAgents sims = s.streamsPerConnection() <= 1 ? SimAgents.connectionPerAgent(m.port(), s.agents())
                     : SimAgents.multiplexed(m.port(), s.agents(), s.streamsPerConnection())) {
            p.put("connections", sims.connectionMode());
            long t = System.nanoTime();
            List<SimAgent> agents = sims.start(m.api.registrationToken("bench"), "cluster", s.agents(),
                    Map.of("bench", "true"), SimAgent.Reporting.NOT_READY, 64, 150);
            m.manager.deployments().sync();
            report.info("setup_agents_registered_and_connected", (System.nanoTime() - t) / 1e9, "s");

            int bds = s.gitRepos() * s.agents();
            Milestone applied = new Milestone(bds);
            Set<String> appliedBds = ConcurrentHashMap.newKeySet();
            m.manager.store().addListener((type, object) -> {
                if (type != StoreListener.EventType.MODIFIED || Json.kind(object).orElse(null) != Kind.BUNDLE_DEPLOYMENT) {
                    return;
                }
                JsonNode status = object.path("status");
                if (status.path("ready").asBoolean(false)) {
                    storeWritten(object);
                } else if (status.path("appliedDeploymentID").asText("").equals(object.path("spec").path("deploymentID").asText())
                        && appliedBds.add(Json.namespace(object) + "/" + Json.name(object))) {
                    applied.add();
                }
            });
            String url = git.createRepo("status", s.gitRepos());
            t = System.nanoTime();
            for (int g = 0; g < s.gitRepos(); g++) {
                m.api.createGitRepo(gitRepo(g), url, List.of(LocalGitServer.bundleDir(g)), "1h");
            }
            applied.await("BDs applied", 150);
            long appliedAt = System.nanoTime();
            report.info("setup_bds_applied", (appliedAt - t) / 1e9, "s");

            try (GitRepoWatch watch = GitRepoWatch.open(sims.vertx(), m.port(), m.api.token(), ManagerApi.NS, this::watchEvent)) {
                try {
                    baseline.await("GitRepos at 0/" + s.agents() + " ready on the watch", CATCH_UP_SECONDS);
                } catch (IllegalStateException behind) {
                    // The status stream has not caught up with the setup: nothing can be timed against it.
                    System.out.println(s.experiment() + ": " + behind.getMessage());
                    report.missing("report_to_watch_event_p99", "the GitRepo status on the watch did not reach 0/" + s.agents()
                            + " ready within " + CATCH_UP_SECONDS + " s after every BD was applied and reported");
                    return report;
                }
                // The setup's own status backlog must drain first, or the first phase would time the backlog.
                m.manager.status().sync();
                long quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(CATCH_UP_SECONDS);
                long seen;
                do {
                    seen = events.get();
                    TimeUnit.SECONDS.sleep(2);
                } while (events.get() != seen && System.nanoTime() < quietUntil);
                report.info("setup_bds_applied_to_status_settled", (System.nanoTime() - appliedAt) / 1e9 - 2, "s");
                String[] bdNames = bdNames(agents.get(0));

                PhaseResult light = phase(agents, bdNames, LIGHT_RATE, LIGHT_SECONDS);
                record(report, "light_", light, 0, 0);
                PhaseResult steady = phase(agents, bdNames, s.reportsPerSecond(), s.steadySeconds());
                record(report, "", steady, s.p50BudgetMs(), s.p99BudgetMs());
                report.raw().set("lightWatchMillis", Json.MAPPER.valueToTree(light.watchMs()));
                report.raw().set("steadyWatchMillis", Json.MAPPER.valueToTree(steady.watchMs()));
                report.raw().set("steadyStoreMillis", Json.MAPPER.valueToTree(steady.storeMs()));
                if (sims.streamsEnded() > 0) {
                    throw new IllegalStateException(sims.streamsEnded() + " agent streams ended during the run");
                }
            }
        } finally {
            BenchManager.deleteTree(gitDir);
        }
        return report;
    }

    /** The watch listener (one event loop): baseline detection, then matching of ready counts to sent reports. */
    private void watchEvent(long received, String name, int ready, int desired) {
        Integer g = gitRepoIndex.get(name);
        if (g == null) {
            return;
        }
        events.incrementAndGet();
        if (!atBaseline[g] && ready == 0 && desired == setup.agents()) {
            atBaseline[g] = true;
            baseline.add();
        }
        while (matched[g] < ready) {
            Long at = sentForWatch.get(g).poll();
            if (at == null) {
                break;
            }
            watchLatencies.add(received - at);
            matched[g]++;
        }
    }

    private void storeWritten(ObjectNode bd) {
        Integer g = gitRepoIndex.get(Json.labels(bd).getOrDefault(BundleScanner.REPO_NAME_LABEL, ""));
        Long at = g == null ? null : sentForStore.get(g).poll();
        if (at != null) {
            storeLatencies.add(System.nanoTime() - at);
        }
    }

    /** Each GitRepo's BD name, as delivered to an agent. */
    private String[] bdNames(SimAgent agent) {
        String[] names = new String[setup.gitRepos()];
        for (int g = 0; g < names.length; g++) {
            String prefix = gitRepo(g) + "-";
            names[g] = agent.held().keySet().stream().filter(n -> n.startsWith(prefix)).findFirst().orElseThrow();
        }
        return names;
    }

    /** Sends {@code rate} reports a second for {@code seconds}, then waits (bounded) for their watch events. */
    private PhaseResult phase(List<SimAgent> agents, String[] bdNames, int rate, int seconds) throws InterruptedException {
        watchLatencies = new ConcurrentLinkedQueue<>();
        storeLatencies = new ConcurrentLinkedQueue<>();
        events.set(0);
        int reports = rate * seconds;
        AtomicInteger tick = new AtomicInteger();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-reports"));
        long start = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            int i = tick.getAndIncrement();
            if (i >= reports) {
                return;
            }
            int g = i % setup.gitRepos();
            SimAgent agent = agents.get(nextAgent[g]++);
            String bd = bdNames[g];
            long now = System.nanoTime();
            sentForStore.get(g).add(now);
            sentForWatch.get(g).add(now);
            agent.report(List.of(SimAgent.status(bd, agent.held().get(bd), true)));
        }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds + 20);
        while ((tick.get() < reports || watchLatencies.size() < reports) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        int sent = Math.min(tick.get(), reports);
        // Store writes are matched by arrival: late ones of this phase must not be taken for the next phase's.
        // Watch matches follow the ready count, so unmatched reports stay queued to keep it aligned.
        for (int g = 0; g < setup.gitRepos(); g++) {
            sentForStore.get(g).clear();
        }
        return new PhaseResult(sent, Report.sortedMillis(watchLatencies.stream().mapToLong(Long::longValue).toArray()),
                Report.sortedMillis(storeLatencies.stream().mapToLong(Long::longValue).toArray()), events.get(),
                (System.nanoTime() - start) / 1e9);
    }

    private void record(Report report, String prefix, PhaseResult r, double p50BudgetMs, double p99BudgetMs) {
        System.out.printf(Locale.ROOT, "%s %sphase: %d reports sent, %d seen on the watch, %d watch events, %.1f s%n",
                setup.experiment(), prefix, r.sent(), r.watchMs().length, r.events(), r.seconds());
        report.info(prefix + "reports_sent", r.sent(), "");
        report.info(prefix + "watch_events", r.events(), "");
        if (r.watchMs().length < r.sent()) {
            // A report whose event never came (within the phase's bound) is over any budget.
            report.figure(prefix + "reports_without_watch_event", r.sent() - r.watchMs().length, 0, "");
        }
        if (r.watchMs().length > 0) {
            double p50 = Report.percentile(r.watchMs(), 50);
            double p99 = Report.percentile(r.watchMs(), 99);
            if (p50BudgetMs > 0) {
                report.figure(prefix + "report_to_watch_event_p50", p50, p50BudgetMs, "ms");
            } else {
                report.info(prefix + "report_to_watch_event_p50", p50, "ms");
            }
            if (p99BudgetMs > 0) {
                report.figure(prefix + "report_to_watch_event_p99", p99, p99BudgetMs, "ms");
            } else {
                report.info(prefix + "report_to_watch_event_p99", p99, "ms");
            }
            report.info(prefix + "report_to_watch_event_max", r.watchMs()[r.watchMs().length - 1], "ms");
        }
        if (r.storeMs().length > 0) {
            report.info(prefix + "report_to_bd_status_stored_p50", Report.percentile(r.storeMs(), 50), "ms");
            report.info(prefix + "report_to_bd_status_stored_p99", Report.percentile(r.storeMs(), 99), "ms");
        }
    }

    private static String gitRepo(int g) {
        return String.format(Locale.ROOT, "st%02d", g);
    }
}

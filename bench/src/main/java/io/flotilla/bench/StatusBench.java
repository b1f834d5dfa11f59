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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Status propagation: agent report → GitRepo event on a {@code StatusService.Watch} stream. N simulated
 * agents are connected; K GitRepos of one bundle each target all of them (K×N BDs), every BD first reported
 * applied and not Ready. In the steady phase reports go out at a fixed rate, round-robin over the GitRepos,
 * each turning one more BD of its GitRepo Ready, so the GitRepo's ready count rises by exactly one per report.
 * A report's latency runs from just before the agent writes it to the arrival of the first watch event
 * whose ready count includes it; reports of one GitRepo are matched in send order (a coalesced event
 * completes several). With K GitRepos a GitRepo sees a report every K/rate seconds, so reports of one GitRepo
 * are rarely in flight together; if two were applied out of order their latencies would be swapped, never lost.
 */
final class StatusBench {
    private static final String PREFIX = "st";

    private StatusBench() {
    }

    /** @param p50BudgetMs 0 when only the p99 has a budget */
    record Setup(String experiment, int agents, int gitRepos, int reportsPerSecond, int steadySeconds,
                 int streamsPerConnection, double p50BudgetMs, double p99BudgetMs) {
    }

    static Report run(String commit, Setup s) throws Exception {
        Report report = new Report(s.experiment(), commit);
        ObjectNode p = report.parameters();
        p.put("agents", s.agents()).put("gitRepos", s.gitRepos()).put("bdsPerGitRepo", s.agents())
                .put("reportsPerSecond", s.reportsPerSecond()).put("steadySeconds", s.steadySeconds())
                .put("watch", "StatusService.Watch(kinds=[GitRepo], namespace=fleet-default) on its own connection")
                .put("latency", "System.nanoTime before the agent's stream write → arrival of the first GitRepo event "
                        + "counting the report (display.readyBundleDeployments), same JVM as the manager and the agents");
        int reports = s.reportsPerSecond() * s.steadySeconds();
        if (reports > s.gitRepos() * s.agents()) {
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
            report.info("agents_registered_and_connected_in", (System.nanoTime() - t) / 1e9, "s");

            // K GitRepos, one bundle each, every BD applied and reported not Ready.
            int bds = s.gitRepos() * s.agents();
            Milestone applied = new Milestone(bds);
            Set<String> appliedBds = ConcurrentHashMap.newKeySet();
            m.manager.store().addListener((type, object) -> {
                if (type == StoreListener.EventType.MODIFIED && isApplied(object)
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
            report.info("setup_bds_applied_in", (System.nanoTime() - t) / 1e9, "s");

            // The watch; each GitRepo's events are matched against its queue of sent reports. The same reports are
            // also matched against their BD status writes in the store, to tell the store's share from the rest.
            List<Queue<Long>> sent = new ArrayList<>();
            List<Queue<Long>> sentForStore = new ArrayList<>();
            Queue<Long> storeLatencies = new ConcurrentLinkedQueue<>();
            int[] matched = new int[s.gitRepos()];
            boolean[] atBaseline = new boolean[s.gitRepos()];
            for (int g = 0; g < s.gitRepos(); g++) {
                sent.add(new ConcurrentLinkedQueue<>());
                sentForStore.add(new ConcurrentLinkedQueue<>());
            }
            Queue<Long> latencies = new ConcurrentLinkedQueue<>();
            AtomicLong events = new AtomicLong();
            Milestone baseline = new Milestone(s.gitRepos());
            Map<String, Integer> index = new ConcurrentHashMap<>();
            for (int g = 0; g < s.gitRepos(); g++) {
                index.put(gitRepo(g), g);
            }
            m.manager.store().addListener((type, object) -> {
                if (type == StoreListener.EventType.MODIFIED && Json.kind(object).orElse(null) == Kind.BUNDLE_DEPLOYMENT
                        && object.path("status").path("ready").asBoolean(false)) {
                    Integer g = index.get(Json.labels(object).getOrDefault(BundleScanner.REPO_NAME_LABEL, ""));
                    Long at = g == null ? null : sentForStore.get(g).poll();
                    if (at != null) {
                        storeLatencies.add(System.nanoTime() - at);
                    }
                }
            });
            try (GitRepoWatch watch = GitRepoWatch.open(sims.vertx(), m.port(), ManagerApi.NS, (received, name, ready, desired) -> {
                Integer g = index.get(name);
                if (g == null) {
                    return;
                }
                events.incrementAndGet();
                if (!atBaseline[g] && ready == 0 && desired == s.agents()) {
                    atBaseline[g] = true;
                    baseline.add();
                }
                while (matched[g] < ready) {
                    Long at = sent.get(g).poll();
                    if (at == null) {
                        break;
                    }
                    latencies.add(received - at);
                    matched[g]++;
                }
            })) {
                baseline.await("GitRepos at 0 ready of " + s.agents() + " on the watch", 60);
                events.set(0);

                // Steady phase: the BD names of each GitRepo, as delivered.
                String[] bdName = new String[s.gitRepos()];
                for (int g = 0; g < s.gitRepos(); g++) {
                    String prefix = gitRepo(g) + "-";
                    bdName[g] = agents.get(0).held().keySet().stream().filter(n -> n.startsWith(prefix)).findFirst()
                            .orElseThrow();
                }
                int[] nextAgent = new int[s.gitRepos()];
                AtomicInteger tick = new AtomicInteger();
                ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-reports"));
                long periodNanos = 1_000_000_000L / s.reportsPerSecond();
                long steadyStart = System.nanoTime();
                ScheduledFuture<?> ticks = ticker.scheduleAtFixedRate(() -> {
                    int i = tick.getAndIncrement();
                    if (i >= reports) {
                        return;
                    }
                    int g = i % s.gitRepos();
                    SimAgent agent = agents.get(nextAgent[g]++);
                    String bd = bdName[g];
                    long now = System.nanoTime();
                    sentForStore.get(g).add(now);
                    sent.get(g).add(now);
                    agent.report(List.of(SimAgent.status(bd, agent.held().get(bd), true)));
                }, 0, periodNanos, TimeUnit.NANOSECONDS);
                long deadline = steadyStart + TimeUnit.SECONDS.toNanos(s.steadySeconds() + 20);
                while ((tick.get() < reports || latencies.size() < reports) && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(50);
                }
                ticks.cancel(false);
                ticker.shutdownNow();
                double steadySeconds = (System.nanoTime() - steadyStart) / 1e9;

                long[] nanos = latencies.stream().mapToLong(Long::longValue).toArray();
                double[] ms = Report.sortedMillis(nanos);
                int sentCount = Math.min(tick.get(), reports);
                System.out.printf(Locale.ROOT, "%s: %d reports sent, %d matched, %d watch events%n", s.experiment(), sentCount,
                        ms.length, events.get());
                report.info("reports_sent", sentCount, "");
                report.info("reports_seen_on_watch", ms.length, "");
                report.info("watch_events", events.get(), "");
                report.info("achieved_rate", sentCount / Math.min(steadySeconds, s.steadySeconds()), "reports/s");
                if (ms.length < sentCount) {
                    // A report whose event never came counts as over budget.
                    report.figure("reports_without_event", sentCount - ms.length, 0, "");
                }
                if (ms.length > 0) {
                    if (s.p50BudgetMs() > 0) {
                        report.figure("report_to_watch_event_p50", Report.percentile(ms, 50), s.p50BudgetMs(), "ms");
                    } else {
                        report.info("report_to_watch_event_p50", Report.percentile(ms, 50), "ms");
                    }
                    report.figure("report_to_watch_event_p99", Report.percentile(ms, 99), s.p99BudgetMs(), "ms");
                    report.info("report_to_watch_event_max", ms[ms.length - 1], "ms");
                }
                double[] storeMs = Report.sortedMillis(storeLatencies.stream().mapToLong(Long::longValue).toArray());
                if (storeMs.length > 0) {
                    report.info("report_to_bd_status_stored_p50", Report.percentile(storeMs, 50), "ms");
                    report.info("report_to_bd_status_stored_p99", Report.percentile(storeMs, 99), "ms");
                }
                report.raw().set("latencyMillis", Json.MAPPER.valueToTree(ms));
                report.raw().set("reportToBdStatusStoredMillis", Json.MAPPER.valueToTree(storeMs));
                if (sims.streamsEnded() > 0) {
                    throw new IllegalStateException(sims.streamsEnded() + " agent streams ended during the run");
                }
            }
        } finally {
            BenchManager.deleteTree(gitDir);
        }
        return report;
    }

    private static String gitRepo(int g) {
        return String.format(Locale.ROOT, "%s%02d", PREFIX, g);
    }

    private static boolean isApplied(ObjectNode object) {
        if (Json.kind(object).orElse(null) != Kind.BUNDLE_DEPLOYMENT) {
            return false;
        }
        JsonNode status = object.path("status");
        return status.path("appliedDeploymentID").asText("").equals(object.path("spec").path("deploymentID").asText());
    }
}

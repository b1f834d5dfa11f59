package io.flotilla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.store.StoreListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fleet's 50 clusters × 50 bundles: simulated agents (real gRPC, one connection each) are connected to a
 * fresh manager; a GitRepo of 50 bundle directories served over git:// targets all of them. Measured from
 * just before the GitRepo POST to (a) the 2,500th BD upsert reaching its agent, (b) every BD's status stored
 * Ready and (c) the GitRepo event showing 2500/2500 ready BDs on a {@code StatusService.Watch} stream: the agents
 * report each BD applied and Ready as soon as it arrives. Each repetition uses a new manager; the first one
 * warms the JVM and is reported apart.
 */
final class FleetBench {
    private static final String REPO = "fleet";

    private FleetBench() {
    }

    static Report run(String commit, int clusters, int bundles, int repeats) throws Exception {
        Report report = new Report("fleet-50x50", commit);
        report.parameters().put("clusters", clusters).put("bundles", bundles).put("repeats", repeats)
                .put("warmupRuns", 1).put("agents", "simulated, in this JVM, one HTTP/2 connection each")
                .put("readySignal", "GitRepo event with display.readyBundleDeployments = 2500/2500 on StatusService.Watch")
                .put("bdReadySignal", "every BD's stored status Ready with appliedDeploymentID = its deploymentID");
        int expected = clusters * bundles;
        Path gitDir = Files.createTempDirectory("flotilla-bench-git");
        List<Double> deliveredMs = new ArrayList<>();
        List<Double> readyMs = new ArrayList<>();
        List<Double> gitRepoReadyMs = new ArrayList<>();
        try (LocalGitServer git = LocalGitServer.start(gitDir)) {
            String url = git.createRepo(REPO, bundles);
            for (int run = 0; run <= repeats; run++) {
                double[] r = once(url, clusters, expected);
                System.out.printf("fleet-50x50 run %d%s: delivered %.0f ms, BD statuses Ready %.0f ms, GitRepo Ready on the watch %.0f ms%n",
                        run, run == 0 ? " (warm-up)" : "", r[0], r[1], r[2]);
                if (run == 0) {
                    report.raw().put("warmupDeliveredMillis", r[0]).put("warmupBdsReadyMillis", r[1])
                            .put("warmupGitRepoReadyMillis", r[2]);
                } else {
                    deliveredMs.add(r[0]);
                    readyMs.add(r[1]);
                    gitRepoReadyMs.add(r[2]);
                }
            }
        } finally {
            BenchManager.deleteTree(gitDir);
        }
        double[] delivered = deliveredMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] ready = readyMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] gitRepoReady = gitRepoReadyMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        report.figure("gitrepo_to_all_bds_delivered_median", Report.percentile(delivered, 50) / 1000, 2, "s");
        report.info("gitrepo_to_all_bds_delivered_max", delivered[delivered.length - 1] / 1000, "s");
        report.info("gitrepo_to_all_bd_statuses_ready_median", Report.percentile(ready, 50) / 1000, "s");
        report.figure("gitrepo_to_gitrepo_ready_on_watch_median", Report.percentile(gitRepoReady, 50) / 1000, 3, "s");
        report.info("gitrepo_to_gitrepo_ready_on_watch_max", gitRepoReady[gitRepoReady.length - 1] / 1000, "s");
        report.raw().set("deliveredMillis", Json.MAPPER.valueToTree(delivered));
        report.raw().set("bdStatusesReadyMillis", Json.MAPPER.valueToTree(ready));
        report.raw().set("gitRepoReadyOnWatchMillis", Json.MAPPER.valueToTree(gitRepoReady));
        return report;
    }

    /** One run on a fresh manager: {delivered, BD statuses Ready, GitRepo Ready on the watch}, in ms. */
    private static double[] once(String url, int clusters, int expected) throws Exception {
        try (BenchManager m = BenchManager.start("fleet");
             SimAgents sims = SimAgents.connectionPerAgent(m.port(), clusters)) {
            String token = m.api.registrationToken("bench");
            sims.start(token, "cluster", clusters, Map.of("bench", "true"), SimAgent.Reporting.READY, 16, 60);
            m.manager.deployments().sync();

            Milestone delivered = new Milestone(expected);
            sims.onDelivery((agent, upsert, first) -> {
                if (first) {
                    delivered.add();
                }
            });
            Milestone ready = new Milestone(expected);
            Set<String> readyBds = ConcurrentHashMap.newKeySet();
            m.manager.store().addListener((type, object) -> {
                if (type == StoreListener.EventType.MODIFIED && isReadyBd(object)) {
                    if (readyBds.add(Json.namespace(object) + "/" + Json.name(object))) {
                        ready.add();
                    }
                }
            });
            Milestone gitRepoReady = new Milestone(1);
            AtomicBoolean seenReady = new AtomicBoolean();
            try (GitRepoWatch watch = GitRepoWatch.open(sims.vertx(), m.port(), m.api.token(), ManagerApi.NS, (received, name, r, desired) -> {
                if (name.equals(REPO) && r == expected && desired == expected && seenReady.compareAndSet(false, true)) {
                    gitRepoReady.add();
                }
            })) {
                long start = System.nanoTime();
                m.api.createGitRepo(REPO, url, List.of(), "15s");
                long deliveredAt = delivered.await("BDs delivered", 60);
                long readyAt = ready.await("BDs ready", 60);
                long gitRepoReadyAt = gitRepoReady.await("GitRepo Ready on the watch", 60);
                if (sims.streamsEnded() > 0) {
                    throw new IllegalStateException(sims.streamsEnded() + " agent streams ended during the run");
                }
                return new double[] {(deliveredAt - start) / 1e6, (readyAt - start) / 1e6, (gitRepoReadyAt - start) / 1e6};
            }
        }
    }

    private static boolean isReadyBd(ObjectNode object) {
        if (Json.kind(object).orElse(null) != Kind.BUNDLE_DEPLOYMENT) {
            return false;
        }
        JsonNode status = object.path("status");
        return status.path("ready").asBoolean(false)
                && status.path("appliedDeploymentID").asText("").equals(object.path("spec").path("deploymentID").asText());
    }
}

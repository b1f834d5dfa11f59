package io.flotilla.bench;

import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.testkit.KubeApiServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fleet's 50 bundles × 50 clusters in Kubernetes mode: the manager keeps its objects as custom resources of a real
 * kube-apiserver (v1.32, etcd 3.5, on 127.0.0.1) and simulated agents (real gRPC) are connected to it. Measured from
 * just before the GitRepo POST to (a) the 2,500th BD upsert reaching its agent (a BD is delivered only after it is
 * stored in the API), (b) the GitRepo event with 2500/2500 ready BDs on {@code StatusService.Watch}; then the manager
 * is stopped and a new one started on the same API server, measured until it serves, every agent is connected to it
 * again with its digest and the GitRepo shows 2500/2500 again on a new watch. API requests the manager issued are
 * counted from the API server's audit log. Each repetition uses a fresh API server; the first one warms the JVM.
 */
final class KubeFleetBench {
    private static final String REPO = "fleet";
    private static final int CLUSTERS = 50;
    private static final int BUNDLES = 50;

    private KubeFleetBench() {
    }

    static Report run(String commit, int repeats) throws Exception {
        Report report = new Report("kube-50x50", commit);
        report.parameters().put("clusters", CLUSTERS).put("bundles", BUNDLES).put("repeats", repeats).put("warmupRuns", 1)
                .put("store", "kubernetes: custom resources of kube-apiserver " + KubeApiServer.VERSION + " + etcd 3.5.16 on 127.0.0.1")
                .put("agents", "simulated, in this JVM, one HTTP/2 connection each; they report every BD Ready at once")
                .put("readySignal", "GitRepo event with display.readyBundleDeployments = 2500/2500 on StatusService.Watch");
        int expected = CLUSTERS * BUNDLES;
        Path gitDir = Files.createTempDirectory("flotilla-bench-git");
        List<double[]> runs = new ArrayList<>();
        double[] baseline = KubeApiBaseline.measure(CLUSTERS, BUNDLES, 64);
        System.out.printf("kube-50x50 API server alone: %d BDs created in %.0f ms, and given a status in %.0f ms more%n",
                expected, baseline[0], baseline[1] - baseline[0]);
        try (LocalGitServer git = LocalGitServer.start(gitDir)) {
            String url = git.createRepo(REPO, BUNDLES);
            for (int run = 0; run <= repeats; run++) {
                double[] r = once(url, expected);
                System.out.printf("kube-50x50 run %d%s: delivered %.0f ms, GitRepo Ready on the watch %.0f ms, restart -> serving"
                                + " %.0f ms, all agents back and GitRepo Ready %.0f ms, re-delivered %d, API requests %d (%.2f per BD)%n",
                        run, run == 0 ? " (warm-up)" : "", r[0], r[1], r[2], r[3], (long) r[4], (long) r[5], r[5] / expected);
                if (run == 0) {
                    report.raw().set("warmup", Json.MAPPER.valueToTree(r));
                } else {
                    runs.add(r);
                }
            }
        } finally {
            BenchManager.deleteTree(gitDir);
        }
        report.figure("gitrepo_to_all_bds_stored_and_delivered_median", median(runs, 0) / 1000, 5, "s");
        report.figure("gitrepo_to_gitrepo_ready_on_watch_median", median(runs, 1) / 1000, 6, "s");
        report.info("restart_to_serving_median", median(runs, 2) / 1000, "s");
        report.figure("restart_to_all_agents_reconciled_median", median(runs, 3) / 1000, 10, "s");
        report.info("bds_redelivered_after_restart_max", runs.stream().mapToDouble(r -> r[4]).max().orElse(0), "");
        report.info("api_requests_per_bd_median", median(runs, 5) / expected, "");
        report.info("api_server_alone_2500_creates", baseline[0] / 1000, "s");
        report.info("api_server_alone_2500_creates_and_status_writes", baseline[1] / 1000, "s");
        report.raw().set("runs", Json.MAPPER.valueToTree(runs));
        report.raw().put("runColumns", "deliveredMs, gitRepoReadyMs, restartServingMs, restartReconciledMs, redelivered, apiRequests");
        return report;
    }

    private static double median(List<double[]> runs, int column) {
        return Report.percentile(runs.stream().mapToDouble(r -> r[column]).sorted().toArray(), 50);
    }

    /** One run on a fresh API server: {delivered, GitRepo Ready, restart serving, restart reconciled (ms), redelivered, requests}. */
    private static double[] once(String url, int expected) throws Exception {
        Path dir = Files.createTempDirectory("flotilla-bench-kube");
        try (KubeApiServer kube = KubeApiServer.start("upstream", dir.resolve("kube"))) {
            ManagerConfig config = ManagerConfig.defaults(dir.resolve("data"), "127.0.0.1", 0)
                    .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(5)).withPlaintext()
                    .withGitAccess(io.flotilla.manager.git.GitAccessPolicy.allowingLoopback()) // the git server is on 127.0.0.1
                    .withKubernetes(new ManagerConfig.KubernetesMode(kube.kubeconfig(KubeApiServer.User.ADMIN),
                            "flotilla-system", true, null));
            Manager manager = start(config);
            int port = manager.port();
            ManagerApi api = new ManagerApi(port, manager.adminConfigFile());
            try (SimAgents sims = SimAgents.connectionPerAgent(port, CLUSTERS)) {
                List<SimAgent> agents = sims.start(api.registrationToken("bench"), "cluster", CLUSTERS,
                        Map.of("bench", "true"), SimAgent.Reporting.READY, 16, 60);
                manager.deployments().sync();
                Milestone delivered = new Milestone(expected);
                AtomicBoolean restarted = new AtomicBoolean();
                AtomicInteger redelivered = new AtomicInteger();
                sims.onDelivery((agent, upsert, first) -> {
                    if (restarted.get()) {
                        redelivered.incrementAndGet();
                    } else if (first) {
                        delivered.add();
                    }
                });
                kube.awaitAuditBarrier();
                int requestsBefore = kube.requests(KubeApiServer.User.ADMIN).size();
                double deliveredMs;
                double readyMs;
                try (ReadyWatch watch = watchReady(sims, port, api.token(), expected)) {
                    long start = System.nanoTime();
                    api.createGitRepo(REPO, url, List.of(), "15s");
                    deliveredMs = (delivered.await("BDs stored and delivered", 120) - start) / 1e6;
                    readyMs = (watch.readyAt.await("GitRepo Ready on the watch", 120) - start) / 1e6;
                }
                kube.awaitAuditBarrier();
                List<com.fasterxml.jackson.databind.JsonNode> issued = kube.requests(KubeApiServer.User.ADMIN);
                int requests = issued.size() - requestsBefore;
                System.out.println("kube-50x50 API requests of the run: " + ApiRequests.describe(issued.subList(requestsBefore, issued.size())));

                manager.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                manager = null;
                restarted.set(true);
                long restart = System.nanoTime();
                manager = start(new ManagerConfig(config.dataDir(), "127.0.0.1", port, config.offlineTimeout(),
                        config.heartbeatInterval(), config.tls(), config.kubernetes(), config.gitAccess()));
                double servingMs = (System.nanoTime() - restart) / 1e6;
                double reconciledMs;
                try (ReadyWatch watch = watchReady(sims, port, api.token(), expected)) {
                    sims.connect(agents, 16, 60);
                    long back = watch.readyAt.await("GitRepo Ready after the restart", 60);
                    reconciledMs = (Math.max(back, System.nanoTime()) - restart) / 1e6;
                }
                return new double[] {deliveredMs, readyMs, servingMs, reconciledMs, redelivered.get(), requests};
            } finally {
                if (manager != null) {
                    manager.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            BenchManager.deleteTree(dir);
        }
    }

    private static Manager start(ManagerConfig config) throws Exception {
        return Manager.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    /** A status watch and the moment it first shows the GitRepo with every BD ready. */
    private record ReadyWatch(GitRepoWatch watch, Milestone readyAt) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            watch.close();
        }
    }

    private static ReadyWatch watchReady(SimAgents sims, int port, String token, int expected) throws Exception {
        Milestone ready = new Milestone(1);
        AtomicBoolean seen = new AtomicBoolean();
        GitRepoWatch watch = GitRepoWatch.open(sims.vertx(), port, token, ManagerApi.NS, (received, name, r, desired) -> {
            if (name.equals(REPO) && r == expected && desired == expected && seen.compareAndSet(false, true)) {
                ready.add();
            }
        });
        return new ReadyWatch(watch, ready);
    }
}

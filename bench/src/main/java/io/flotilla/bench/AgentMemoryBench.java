package io.flotilla.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Manager heap per connected agent. The manager runs alone in a child JVM ({@link ManagerProcess}); the
 * simulated agents run in this JVM, each on its own HTTP/2 connection, sending heartbeats. Live heap (full GC,
 * class histogram, median of 3) is read with no clusters, with N clusters registered, and with their N agents
 * connected and idle. A second manager then serves M agents that each get 50 BDs from a GitRepo of 50
 * bundles, delivered and reported Ready; that reading is taken once the GitRepo's status on the status stream
 * shows every BD Ready, so no backlog of the manager's own work is counted. Per-agent figures divide the growth
 * over the no-cluster baseline by the agent count: they include the Cluster objects, the stream, the liveness
 * state and (second manager) the BDs and their status, everything an agent costs.
 */
final class AgentMemoryBench {
    private static final long KIB = 1024;
    private static final long STATUS_WAIT_SECONDS = 90;

    private AgentMemoryBench() {
    }

    static Report run(String commit, int idleAgents, int bdAgents, int bundles) throws Exception {
        Report report = new Report("agent-memory", commit);
        ObjectNode p = report.parameters();
        p.put("idleAgents", idleAgents).put("agentsWithBds", bdAgents).put("bdsPerAgent", bundles)
                .put("managerJvm", "-Xmx2g -XX:+UseParallelGC, child process")
                .put("method", "jcmd <pid> GC.class_histogram (full GC, sum of live objects), median of 3 samples per "
                        + "reading; per agent = (reading − baseline with no clusters) / agents")
                .put("settleSeconds", 7);

        Path dir = Files.createTempDirectory("flotilla-bench-memory");
        try (ManagerProcess manager = ManagerProcess.start(dir, "2g");
             SimAgents sims = SimAgents.connectionPerAgent(manager.port(), idleAgents)) {
            p.put("connections", sims.connectionMode());
            ManagerApi api = manager.api();
            String token = api.registrationToken("bench");
            settle();
            long baseline = manager.settledLiveHeapBytes(3);
            List<SimAgent> started = sims.register(token, "cluster", idleAgents, Map.of("bench", "true"),
                    SimAgent.Reporting.READY, 32, 120);
            settle();
            long registered = manager.settledLiveHeapBytes(3);
            sims.connect(started, 32, 120);
            settle();
            long connected = manager.settledLiveHeapBytes(3);
            if (sims.streamsEnded() > 0) {
                throw new IllegalStateException(sims.streamsEnded() + " agent streams ended during the run");
            }
            report.raw().put("idleBaselineBytes", baseline).put("idleRegisteredBytes", registered)
                    .put("idleConnectedBytes", connected);
            report.info("registered_not_connected_per_agent", (registered - baseline) / (double) idleAgents / KIB, "KiB");
            report.info("stream_only_per_agent", (connected - registered) / (double) idleAgents / KIB, "KiB");
            report.figure("idle_connected_per_agent", (connected - baseline) / (double) idleAgents / KIB, 64, "KiB");
        } finally {
            BenchManager.deleteTree(dir);
        }

        dir = Files.createTempDirectory("flotilla-bench-memory");
        try (ManagerProcess manager = ManagerProcess.start(dir, "2g");
             LocalGitServer git = LocalGitServer.start(dir.resolve("git"));
             SimAgents sims = SimAgents.connectionPerAgent(manager.port(), bdAgents)) {
            ManagerApi api = manager.api();
            String token = api.registrationToken("bench");
            settle();
            long baseline = manager.settledLiveHeapBytes(3);
            sims.start(token, "cluster", bdAgents, Map.of("bench", "true"), SimAgent.Reporting.READY, 32, 120);

            int bds = bdAgents * bundles;
            Milestone delivered = new Milestone(bds);
            sims.onDelivery((agent, upsert, first) -> {
                if (first) {
                    delivered.add();
                }
            });
            Milestone allReady = new Milestone(1);
            AtomicBoolean seen = new AtomicBoolean();
            long t = System.nanoTime();
            try (GitRepoWatch watch = GitRepoWatch.open(sims.vertx(), manager.port(), manager.api().token(), ManagerApi.NS, (at, name, ready, desired) -> {
                if (ready == bds && desired == bds && seen.compareAndSet(false, true)) {
                    allReady.add();
                }
            })) {
                api.createGitRepo("memory", git.createRepo("memory", bundles), List.of(), "15s");
                delivered.await("BDs delivered", 120);
                report.raw().put("secondsToDeliverAllBds", (System.nanoTime() - t) / 1e9);
                try {
                    allReady.await("GitRepo status with every BD Ready", STATUS_WAIT_SECONDS);
                    report.raw().put("secondsToGitRepoStatusAllReady", (System.nanoTime() - t) / 1e9);
                } catch (IllegalStateException behind) {
                    p.put("statusBacklogNote", "the GitRepo status did not show all " + bds + " BDs Ready within "
                            + STATUS_WAIT_SECONDS + " s: the reading includes the status controller's backlog");
                }
            }
            settle();
            long withBds = manager.settledLiveHeapBytes(3);
            if (sims.streamsEnded() > 0) {
                throw new IllegalStateException(sims.streamsEnded() + " agent streams ended during the run");
            }
            report.raw().put("bdsBaselineBytes", baseline).put("bdsReadyBytes", withBds);
            report.figure("with_" + bundles + "_bds_per_agent", (withBds - baseline) / (double) bdAgents / KIB, 256, "KiB");
        } finally {
            BenchManager.deleteTree(dir);
        }
        return report;
    }

    /** Lets in-flight work (store writes, first heartbeats) finish before a heap reading. */
    private static void settle() throws InterruptedException {
        TimeUnit.SECONDS.sleep(7);
    }
}

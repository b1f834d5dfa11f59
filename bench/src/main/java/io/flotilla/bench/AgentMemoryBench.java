package io.flotilla.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Manager heap per connected agent. The manager runs alone in a child JVM ({@link ManagerProcess}); the
 * simulated agents run in this JVM, each on its own HTTP/2 connection, sending heartbeats. Live heap (full GC,
 * class histogram, median of 3) is read with no clusters, with N clusters registered, with their N agents
 * connected and idle, and once a GitRepo of 50 bundles has given every one 50 BDs (delivered, reported Ready).
 * Per-agent figures divide the growth over the no-cluster baseline by N, so they include the Cluster objects,
 * the stream, the liveness state and (last phase) the BDs and their status: everything an agent costs.
 */
final class AgentMemoryBench {
    private static final long KIB = 1024;

    private AgentMemoryBench() {
    }

    static Report run(String commit, int agents, int bundles) throws Exception {
        Report report = new Report("agent-memory", commit);
        ObjectNode p = report.parameters();
        p.put("agents", agents).put("bdsPerAgent", bundles).put("managerJvm", "-Xmx2g -XX:+UseParallelGC, child process")
                .put("method", "jcmd <pid> GC.class_histogram (full GC, sum of live objects), median of 3 samples per phase; "
                        + "per agent = (phase − baseline with no clusters) / agents")
                .put("settleSeconds", 7);
        Path dir = Files.createTempDirectory("flotilla-bench-memory");
        Path gitDir = dir.resolve("git");
        try (ManagerProcess manager = ManagerProcess.start(dir, "2g");
             LocalGitServer git = LocalGitServer.start(gitDir);
             SimAgents sims = SimAgents.connectionPerAgent(manager.port(), agents)) {
            p.put("connections", sims.connectionMode());
            ManagerApi api = new ManagerApi(manager.port());
            String token = api.registrationToken("bench");
            settle();
            long baseline = manager.settledLiveHeapBytes(3);

            List<SimAgent> started = sims.register(token, "cluster", agents, Map.of("bench", "true"), SimAgent.Reporting.READY, 32, 120);
            settle();
            long registered = manager.settledLiveHeapBytes(3);

            sims.connect(started, 32, 120);
            settle();
            long connected = manager.settledLiveHeapBytes(3);

            Milestone delivered = new Milestone(agents * bundles);
            sims.onDelivery((agent, upsert, first) -> {
                if (first) {
                    delivered.add();
                }
            });
            long t = System.nanoTime();
            api.createGitRepo("memory", git.createRepo("memory", bundles), List.of(), "15s");
            delivered.await("BDs delivered", 150);
            double deliverSeconds = (System.nanoTime() - t) / 1e9;
            settle();
            long withBds = manager.settledLiveHeapBytes(3);
            if (sims.streamsEnded() > 0) {
                throw new IllegalStateException(sims.streamsEnded() + " agent streams ended during the run");
            }

            report.raw().put("baselineBytes", baseline).put("registeredBytes", registered).put("connectedBytes", connected)
                    .put("with50BdsBytes", withBds).put("secondsToDeliverAllBds", deliverSeconds);
            report.info("registered_not_connected_per_agent", (registered - baseline) / (double) agents / KIB, "KiB");
            report.info("stream_only_per_agent", (connected - registered) / (double) agents / KIB, "KiB");
            report.figure("idle_connected_per_agent", (connected - baseline) / (double) agents / KIB, 64, "KiB");
            report.figure("with_" + bundles + "_bds_per_agent", (withBds - baseline) / (double) agents / KIB, 256, "KiB");
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

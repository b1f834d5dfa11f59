package io.flotilla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flotilla.agent.model.Ownership;
import io.flotilla.manager.api.Json;
import io.flotilla.testkit.KubeApiServer;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's footprint with 50 BDs × 10 objects on a real API server. A real kube-apiserver + etcd
 * ({@link KubeApiServer}), the manager in this JVM (embedded store), a GitRepo of {@code bundles} directories on
 * a local git:// repository, and ONE agent as a separate process started by {@code bin/flotilla agent} (the
 * production launcher and its JVM options) with a registration token, against the API server as
 * {@link KubeApiServer.User#AGENT}. No controller-manager runs, so this JVM fakes the Deployments' readiness
 * through {@code /status} until the manager shows every BD applied and Ready. Then the agent settles and is
 * measured over a steady window: RSS and threads ({@code /proc}, every second), heap ({@code jstat -gc}, perf data:
 * nothing runs in the agent), CPU ({@code /proc/<pid>/stat} utime + stime, also per thread) and the agent's API
 * requests and writes (the API server's audit log). The budgets apply to this phase (raw YAML bundles).
 *
 * <p>Phase 2 (unless {@code helmPhase} is off) commits one bundle turned into a local Helm chart: the agent
 * renders it with helm-java, which loads Helm's Go library into the agent process. Once every BD is applied and
 * Ready again it is measured the same way; its figures ({@code helm_*}) say what Helm costs.
 */
final class AgentFootprintBench {
    private static final String CLUSTER = "footprint";
    private static final long READY_TIMEOUT_SECONDS = 150;
    private static final double MIB = 1024;

    private AgentFootprintBench() {
    }

    record Setup(int bundles, boolean helmPhase, int settleSeconds, int windowSeconds, int helmSettleSeconds,
                 int helmWindowSeconds) {
        static Setup fromProperties() {
            return new Setup(50, !"false".equals(System.getProperty("footprint.helm")),
                    Integer.getInteger("footprint.settle", 30), Integer.getInteger("footprint.window", 60),
                    Integer.getInteger("footprint.helmSettle", 20), Integer.getInteger("footprint.helmWindow", 30));
        }
    }

    static Report run(String commit, Setup setup) throws Exception {
        Report report = new Report("agent-footprint", commit);
        Path root = Path.of(System.getProperty("flotilla.root", "")).toAbsolutePath();
        Path launcher = root.resolve("bin/flotilla");
        ObjectNode p = report.parameters();
        p.put("bundles", setup.bundles()).put("objectsPerBundle", FootprintBundles.OBJECTS_PER_BUNDLE)
                .put("helmPhase", setup.helmPhase()).put("settleSeconds", setup.settleSeconds())
                .put("windowSeconds", setup.windowSeconds()).put("helmSettleSeconds", setup.helmSettleSeconds())
                .put("helmWindowSeconds", setup.helmWindowSeconds()).put("kubeApiServer", KubeApiServer.VERSION)
                .put("launcher", "bin/flotilla agent");
        for (String env : List.of("FLOTILLA_JAVA_OPTS", "FLOTILLA_AGENT_TUNING", "FLOTILLA_AGENT_CDS", "MALLOC_ARENA_MAX")) {
            if (System.getenv(env) != null) {
                p.put("env." + env, System.getenv(env));
            }
        }
        p.put("manager", "in the bench JVM, embedded store, heartbeat interval 5 s, GitRepo polled every 5 s")
                .put("method", "RSS (also anon/file) and threads from /proc/<pid>/status every second; heap from "
                        + "jstat -gc every 10 s; CPU from /proc/<pid>/stat utime+stime over the window; API requests "
                        + "from the kube-apiserver audit log (user " + KubeApiServer.User.AGENT.userName()
                        + ", received inside the window; dry runs are not writes)");
        ObjectNode raw = report.raw();

        Path dir = Files.createTempDirectory("flotilla-bench-footprint");
        Vertx vertx = Vertx.vertx();
        try (KubeApiServer kube = KubeApiServer.start("footprint", dir.resolve("kube"));
             BenchManager manager = BenchManager.start("agent-footprint");
             LocalGitServer git = LocalGitServer.start(dir.resolve("git"))) {
            String token = manager.api.registrationToken("footprint");
            String url = git.createRepo("footprint", setup.bundles(), new FootprintBundles());

            // Every GitRepo status event: one while idle means the agent (or the manager) changed something.
            AtomicInteger gitRepoEvents = new AtomicInteger();
            try (GitRepoWatch watch = GitRepoWatch.open(vertx, manager.port(), manager.api.token(), ManagerApi.NS,
                    (at, name, ready, desired) -> gitRepoEvents.incrementAndGet())) {
                manager.api.createGitRepo("footprint", url, List.of(), "5s");
                long launched = System.nanoTime();
                try (AgentProcess agent = AgentProcess.launch(launcher, List.of("agent",
                        "--manager", "http://127.0.0.1:" + manager.port(), "--token", token,
                        "--cluster-name", CLUSTER, "--labels", "bench=true",
                        "--kubeconfig", kube.kubeconfig(KubeApiServer.User.AGENT).toString(),
                        "--state-dir", dir.resolve("agent-state").toString()), dir.resolve("agent.log"))) {
                    p.put("agentPid", agent.pid());
                    report.info("launcher_to_jvm", agent.awaitJvm(120), "s");
                    p.set("agentJvmOptions", Json.MAPPER.valueToTree(agent.jvmOptions()));

                    try (StatusFaker faker = StatusFaker.start(kube.client())) {
                        awaitAllApplied(manager.api, setup.bundles(), Map.of(), agent);
                        raw.put("deploymentStatusPatches", faker.patches());
                    }
                    AgentProcess.ProcSample atReady = agent.sample();
                    report.info("launch_to_all_bds_ready", (System.nanoTime() - launched) / 1e9, "s");
                    report.info("cpu_launch_to_all_ready", atReady.cpuTicks() / (double) clockTicks(), "CPU-s");
                    report.info("rss_at_all_ready", atReady.rssKib() / MIB, "MiB");
                    raw.put("agentRequestsUntilReady", kube.requests(KubeApiServer.User.AGENT).size());

                    ObjectNode plain = raw.putObject("rawYaml");
                    Steady one = measure(agent, kube, gitRepoEvents, setup.settleSeconds(), setup.windowSeconds(), plain);
                    report.figure("rss_steady_median", one.rssMedian, 128, "MiB");
                    report.figure("rss_steady_max", one.rssMax, 128, "MiB");
                    report.info("rss_anon_median", one.anonMedian, "MiB");
                    report.info("rss_file_median", one.fileMedian, "MiB");
                    report.info("heap_used_median", one.heapUsedMedian, "MiB");
                    report.info("heap_committed_median", one.heapCommittedMedian, "MiB");
                    report.info("metaspace_used", one.metaspaceUsed, "MiB");
                    report.info("threads_median", one.threadsMedian, "");
                    report.figure("idle_cpu", one.cpuPerMinute, 0.6, "CPU-s/min");
                    report.info("idle_api_requests", one.requestsPerMinute, "/min");
                    report.figure("idle_api_writes", one.writes, 0, "");
                    report.info("idle_gitrepo_status_events", one.gitRepoEvents, "");
                    raw.set("threadGroups", Json.MAPPER.valueToTree(agent.threadGroups()));
                    raw.put("heapInfo", agent.jcmd("GC.heap_info"));
                    raw.put("codeCache", agent.jcmd("Compiler.codecache"));
                    if (Boolean.getBoolean("footprint.threadDump")) {
                        raw.put("threadDump", agent.jcmd("Thread.print"));
                    }

                    if (setup.helmPhase()) {
                        int helm = setup.bundles() - 1;
                        Map<String, String> before = deploymentIds(manager.api);
                        long committed = System.nanoTime();
                        long cpuBefore = agent.sample().cpuTicks();
                        git.commit("footprint", "bundle " + helm + " becomes a Helm chart", FootprintBundles::toHelm, helm);
                        try (StatusFaker faker = StatusFaker.start(kube.client())) {
                            awaitAllApplied(manager.api, setup.bundles(), before, agent);
                        }
                        AgentProcess.ProcSample helmReady = agent.sample();
                        report.info("helm_commit_to_all_ready", (System.nanoTime() - committed) / 1e9, "s");
                        report.info("helm_cpu_commit_to_all_ready",
                                (helmReady.cpuTicks() - cpuBefore) / (double) clockTicks(), "CPU-s");
                        ObjectNode withHelm = raw.putObject("withHelmChart");
                        Steady two = measure(agent, kube, gitRepoEvents, setup.helmSettleSeconds(),
                                setup.helmWindowSeconds(), withHelm);
                        // Not budgeted: the budget is stated for the raw-YAML agent; these say what one chart costs.
                        report.info("helm_rss_steady_median", two.rssMedian, "MiB");
                        report.info("helm_rss_steady_max", two.rssMax, "MiB");
                        report.info("helm_rss_cost", two.rssMedian - one.rssMedian, "MiB");
                        report.info("helm_rss_file_cost", two.fileMedian - one.fileMedian, "MiB");
                        report.info("helm_rss_anon_cost", two.anonMedian - one.anonMedian, "MiB");
                        report.info("helm_threads_median", two.threadsMedian, "");
                        report.info("helm_idle_cpu", two.cpuPerMinute, "CPU-s/min");
                        report.info("helm_idle_api_requests", two.requestsPerMinute, "/min");
                        report.figure("helm_idle_api_writes", two.writes, 0, "");
                        raw.set("helmThreadGroups", Json.MAPPER.valueToTree(agent.threadGroups()));
                    }

                    // Live objects after a full GC (the histogram forces one): what the heap must hold.
                    String histogram = agent.jcmd("GC.class_histogram");
                    String[] lines = histogram.split("\n");
                    raw.put("liveHeapHistogramTop", String.join("\n", Arrays.asList(lines).subList(0, Math.min(40, lines.length))));
                    for (String line : lines) {
                        if (line.trim().startsWith("Total")) {
                            report.info("heap_live_after_full_gc", Long.parseLong(line.trim().split("\\s+")[2]) / MIB / MIB, "MiB");
                        }
                    }
                    if (agent.jvmOptions().stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking"))) {
                        raw.put("nativeMemory", agent.jcmd("VM.native_memory", "summary"));
                    }
                    raw.put("agentStop", agent.stop());
                    raw.put("agentLogTail", agent.logTail(15));
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            BenchManager.deleteTree(dir);
        }
        return report;
    }

    /** What one steady window showed. */
    private record Steady(double rssMedian, double rssMax, double anonMedian, double fileMedian, double heapUsedMedian,
                          double heapCommittedMedian, double metaspaceUsed, double threadsMedian, double cpuPerMinute,
                          double requestsPerMinute, int writes, int gitRepoEvents) {
    }

    /** Settles, then samples a window; writes its raw data into {@code raw}. */
    private static Steady measure(AgentProcess agent, KubeApiServer kube, AtomicInteger gitRepoEvents, int settleSeconds,
                                  int windowSeconds, ObjectNode raw) throws Exception {
        raw.set("settleSamples", procSamples(sampleFor(agent, settleSeconds, null)));
        int eventsBefore = gitRepoEvents.get();
        Map<String, Long> threadTicksBefore = agent.threadTicks();
        Instant windowStart = Instant.now();
        List<AgentProcess.HeapSample> heap = new CopyOnWriteArrayList<>();
        List<AgentProcess.ProcSample> window = sampleFor(agent, windowSeconds, heap);
        Instant windowEnd = Instant.now();
        raw.put("loadAverageAtEnd", Report.loadAverage());
        // Which threads used the idle CPU (ticks by thread name; threads that ended meanwhile are missing).
        Map<String, Long> ticksByThread = new TreeMap<>();
        agent.threadTicks().forEach((name, t) -> {
            long d = t - threadTicksBefore.getOrDefault(name, 0L);
            if (d > 0) {
                ticksByThread.put(name, d);
            }
        });
        raw.set("idleCpuTicksByThread", Json.MAPPER.valueToTree(ticksByThread));

        List<JsonNode> idle = kube.requests(e -> KubeApiServer.User.AGENT.userName()
                .equals(e.path("user").path("username").asText()) && inside(e, windowStart, windowEnd));
        // A dry run (server-side apply preview) changes nothing stored: listed, but not a write.
        List<JsonNode> dryRuns = idle.stream().filter(e -> KubeApiServer.isWrite(e)
                && e.path("requestURI").asText().contains("dryRun=")).toList();
        List<JsonNode> writes = idle.stream().filter(e -> KubeApiServer.isWrite(e)
                && !e.path("requestURI").asText().contains("dryRun=")).toList();
        Map<String, Integer> byRequest = new TreeMap<>();
        idle.forEach(e -> byRequest.merge(e.path("verb").asText() + " " + pathOf(e), 1, Integer::sum));
        raw.set("idleRequestsByVerbAndPath", Json.MAPPER.valueToTree(byRequest));
        raw.set("idleWrites", auditList(writes));
        raw.set("idleDryRuns", auditList(dryRuns));
        int events = gitRepoEvents.get() - eventsBefore;
        raw.put("gitRepoStatusEventsDuringWindow", events);
        raw.set("windowSamples", procSamples(window));
        ArrayNode heapRaw = raw.putArray("heapSamples");
        heap.forEach(h -> heapRaw.addObject().put("atMillis", h.atMillis()).put("usedKib", h.usedKib())
                .put("committedKib", h.committedKib()).put("metaspaceUsedKib", h.metaspaceUsedKib())
                .put("classSpaceUsedKib", h.classSpaceUsedKib()).put("youngGcs", h.youngGcs())
                .put("fullGcs", h.fullGcs()));
        raw.set("rssKibByMapping", Json.MAPPER.valueToTree(agent.rssByMapping(15)));

        double[] rss = window.stream().mapToDouble(s -> s.rssKib() / MIB).sorted().toArray();
        double[] anon = window.stream().mapToDouble(s -> s.rssAnonKib() / MIB).sorted().toArray();
        double[] file = window.stream().mapToDouble(s -> s.rssFileKib() / MIB).sorted().toArray();
        double[] threads = window.stream().mapToDouble(AgentProcess.ProcSample::threads).sorted().toArray();
        long ticks = window.get(window.size() - 1).cpuTicks() - window.get(0).cpuTicks();
        double seconds = (window.get(window.size() - 1).atMillis() - window.get(0).atMillis()) / 1000.0;
        double minutes = Math.max(1e-9, (windowEnd.toEpochMilli() - windowStart.toEpochMilli()) / 60_000.0);
        double[] used = heap.stream().mapToDouble(h -> h.usedKib() / MIB).sorted().toArray();
        double[] committed = heap.stream().mapToDouble(h -> h.committedKib() / MIB).sorted().toArray();
        return new Steady(Report.percentile(rss, 50), rss[rss.length - 1], Report.percentile(anon, 50),
                Report.percentile(file, 50), Report.percentile(used, 50), Report.percentile(committed, 50),
                heap.isEmpty() ? Double.NaN : heap.get(heap.size() - 1).metaspaceUsedKib() / MIB,
                Report.percentile(threads, 50), ticks / (double) clockTicks() / seconds * 60, idle.size() / minutes,
                writes.size(), events);
    }

    private static ArrayNode auditList(List<JsonNode> events) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        events.forEach(w -> list.addObject().put("verb", w.path("verb").asText())
                .put("requestURI", w.path("requestURI").asText())
                .put("at", w.path("requestReceivedTimestamp").asText())
                .put("code", w.path("responseStatus").path("code").asInt()));
        return list;
    }

    /** BD name → spec.deploymentID, as the manager has them. */
    private static Map<String, String> deploymentIds(ManagerApi api) throws Exception {
        Map<String, String> ids = new HashMap<>();
        for (JsonNode bd : api.bundleDeployments()) {
            ids.put(bd.path("metadata").path("name").asText(), bd.path("spec").path("deploymentID").asText());
        }
        return ids;
    }

    /**
     * Waits until the manager holds {@code bundles} BDs, each applied at its current deploymentID and Ready, and
     * (when {@code before} is given) at least one with a deploymentID other than before.
     */
    private static void awaitAllApplied(ManagerApi api, int bundles, Map<String, String> before, AgentProcess agent)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        String last = "no BundleDeployments";
        while (System.nanoTime() < deadline) {
            if (!agent.alive()) {
                throw new IllegalStateException("the agent exited: " + agent.logTail(40));
            }
            JsonNode items = api.bundleDeployments();
            int ready = 0;
            boolean changed = before.isEmpty();
            for (JsonNode bd : items) {
                String id = bd.path("spec").path("deploymentID").asText();
                JsonNode st = bd.path("status");
                if (id.equals(st.path("appliedDeploymentID").asText()) && st.path("ready").asBoolean()) {
                    ready++;
                }
                String was = before.get(bd.path("metadata").path("name").asText());
                changed |= was != null && !was.equals(id);
            }
            last = ready + "/" + items.size() + " BDs applied and Ready" + (changed ? "" : ", none changed yet");
            if (ready == bundles && items.size() == bundles && changed) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException("not all BDs applied and Ready after " + READY_TIMEOUT_SECONDS + " s (" + last
                + "); agent log:\n" + agent.logTail(40));
    }

    /** Samples /proc every second for {@code seconds} (and jstat every 10 s when {@code heap} is given). */
    private static List<AgentProcess.ProcSample> sampleFor(AgentProcess agent, int seconds,
                                                           List<AgentProcess.HeapSample> heap) throws Exception {
        List<AgentProcess.ProcSample> samples = new ArrayList<>();
        ScheduledExecutorService jstat = Executors.newSingleThreadScheduledExecutor();
        try {
            if (heap != null) {
                jstat.scheduleAtFixedRate(() -> {
                    try {
                        heap.add(agent.heap());
                    } catch (Exception e) {
                        System.err.println("jstat: " + e.getMessage());
                    }
                }, 5, 10, TimeUnit.SECONDS);
            }
            long start = System.nanoTime();
            for (int i = 0; i <= seconds; i++) {
                if (!agent.alive()) {
                    throw new IllegalStateException("the agent exited: " + agent.logTail(40));
                }
                samples.add(agent.sample());
                long next = start + TimeUnit.SECONDS.toNanos(i + 1);
                if (i < seconds) {
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                }
            }
        } finally {
            jstat.shutdownNow();
            jstat.awaitTermination(30, TimeUnit.SECONDS);
        }
        return samples;
    }

    private static ArrayNode procSamples(List<AgentProcess.ProcSample> samples) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        samples.forEach(s -> a.addObject().put("atMillis", s.atMillis()).put("rssKib", s.rssKib())
                .put("rssAnonKib", s.rssAnonKib()).put("rssFileKib", s.rssFileKib())
                .put("threads", s.threads()).put("cpuTicks", s.cpuTicks()));
        return a;
    }

    private static boolean inside(JsonNode auditEvent, Instant from, Instant to) {
        String at = auditEvent.path("requestReceivedTimestamp").asText();
        if (at.isEmpty()) {
            return false;
        }
        Instant t = Instant.parse(at);
        return !t.isBefore(from) && t.isBefore(to);
    }

    /** The request path without the query, names folded ("…/namespaces/{ns}/secrets/{name}"), watches marked. */
    private static String pathOf(JsonNode auditEvent) {
        String uri = auditEvent.path("requestURI").asText();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? "" : uri.substring(q + 1);
        path = path.replaceAll("/namespaces/[^/]+", "/namespaces/{ns}");
        JsonNode ref = auditEvent.path("objectRef");
        if (!ref.path("name").asText().isEmpty()) {
            path = path.replace("/" + ref.path("name").asText(), "/{name}");
        }
        return query.contains("watch=true") ? path + "?watch" : path;
    }

    static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (Exception e) {
            return 100;
        }
    }

    /**
     * Plays the missing controller-manager for the agent's Deployments: sets {@code /status} to all replicas
     * ready at the current generation, polling every 500 ms until closed.
     */
    static final class StatusFaker implements AutoCloseable {
        private final KubernetesClient client;
        private final Thread thread;
        private final AtomicInteger patches = new AtomicInteger();
        private volatile boolean stopped;

        private StatusFaker(KubernetesClient client) {
            this.client = client;
            this.thread = new Thread(this::loop, "deployment-status-faker");
            this.thread.setDaemon(true);
        }

        static StatusFaker start(KubernetesClient client) {
            StatusFaker faker = new StatusFaker(client);
            faker.thread.start();
            return faker;
        }

        int patches() {
            return patches.get();
        }

        private void loop() {
            while (!stopped) {
                try {
                    for (Deployment d : client.apps().deployments().inAnyNamespace().withLabel(Ownership.BD_LABEL)
                            .list().getItems()) {
                        long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
                        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                        DeploymentStatus st = d.getStatus();
                        if (st != null && Objects.equals(st.getObservedGeneration(), generation)
                                && Objects.equals(st.getReadyReplicas(), replicas)
                                && Objects.equals(st.getAvailableReplicas(), replicas)
                                && Objects.equals(st.getUpdatedReplicas(), replicas)
                                && Objects.equals(st.getReplicas(), replicas)) {
                            continue;
                        }
                        String patch = "{\"status\":{\"observedGeneration\":%d,\"replicas\":%d,\"updatedReplicas\":%d,"
                                .formatted(generation, replicas, replicas)
                                + "\"readyReplicas\":%d,\"availableReplicas\":%d}}".formatted(replicas, replicas);
                        client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
                                .withName(d.getMetadata().getName()).subresource("status")
                                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                        patches.incrementAndGet();
                    }
                } catch (KubernetesClientException e) {
                    System.err.println("deployment status faker: " + e.getMessage());
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join(10_000);
        }
    }
}

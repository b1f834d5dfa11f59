package io.flotilla.agent.work;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.agent.deploy.ApplyOutcome;
import io.flotilla.agent.deploy.Deployer;
import io.flotilla.agent.deploy.DeploymentMonitor;
import io.flotilla.agent.deploy.DeploymentRequest;
import io.flotilla.agent.deploy.OwnedState;
import io.flotilla.agent.status.ApplyFailure;
import io.flotilla.agent.status.BdStatusReport;
import io.flotilla.agent.status.StatusComposer;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleResource;
import io.flotilla.bundle.reader.BundleNames;
import io.flotilla.bundle.render.BundleRenderer;
import io.flotilla.bundle.render.KustomizeRunner;
import io.flotilla.bundle.render.RenderContext;
import io.flotilla.bundle.render.RenderException;
import io.flotilla.bundle.render.RenderedBundle;
import io.flotilla.proto.v1.AgentMessage;
import io.flotilla.proto.v1.BundleContent;
import io.flotilla.proto.v1.ContentRequest;
import io.flotilla.proto.v1.DeploymentDelete;
import io.flotilla.proto.v1.DeploymentStatus;
import io.flotilla.proto.v1.DeploymentUpsert;
import io.flotilla.proto.v1.HeldDeployment;
import io.flotilla.proto.v1.ManagerMessage;
import io.flotilla.proto.v1.StatusReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns the manager's BundleDeployments into objects in this cluster and reports their status.
 * Messages arrive on the agent's event loop; rendering, applying and monitoring run on a worker pool,
 * one task at a time per BD (later messages for a BD wait and the newest wins). What the agent has
 * applied lives in the cluster (the {@link Deployer}'s ownership records), so the hello digest after a
 * restart is true and nothing is re-created. Reports are sequence-numbered and kept until acknowledged;
 * after a reconnect the unacknowledged ones are sent again.
 */
public final class DeploymentWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentWorker.class);
    /** Informer events are coalesced per BD over this window before status is recomputed. */
    private static final long STATUS_COALESCE_MS = 100;
    private static final com.fasterxml.jackson.databind.ObjectMapper OPTIONS_MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Vertx vertx;
    /** All state below is confined to this context; public entry points hop onto it. */
    private final io.vertx.core.Context context;
    private final WorkerExecutor pool;
    private final Deployer deployer;
    private final DeploymentMonitor monitor;
    private final BundleRenderer renderer;
    private final KustomizeRunner kustomize;
    private final Path workDir;
    private final Predicate<AgentMessage> sender;

    private final Map<String, List<BundleResource>> contents = new HashMap<>();
    private final Set<String> contentRequested = new HashSet<>();
    private final Map<String, DeploymentUpsert> wanted = new HashMap<>();
    /** BDs held back until the bundles they depend on are in an accepted state on this cluster. */
    private final Map<String, DeploymentUpsert> waiting = new HashMap<>();
    /** Read from the connection's thread for the hello digest, hence concurrent. */
    private final Map<String, String> applied = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, BdTask> tasks = new HashMap<>();
    private final Map<String, DeploymentStatus> unacked = new LinkedHashMap<>();
    private final Map<String, Long> unackedSequence = new HashMap<>();
    private final Map<String, DeploymentStatus> lastReported = new HashMap<>();
    private long sequence = System.currentTimeMillis() * 1000;
    private io.flotilla.agent.metrics.AgentMetrics metrics = io.flotilla.agent.metrics.AgentMetrics.NONE;

    /** Applies, apply duration, API errors, drift corrections and BDs held by state. Call before the first message. */
    public void observe(io.flotilla.agent.metrics.AgentMetrics metrics) {
        this.metrics = metrics;
        metrics.bdStates(() -> {
            Map<String, Integer> counts = new HashMap<>();
            wanted.keySet().forEach(bd -> counts.merge(state(bd), 1, Integer::sum));
            return counts;
        });
    }

    /** The BD's status as a report; says once that drift was corrected when the monitor just did. */
    private DeploymentStatus statusReport(String bd) {
        DeploymentStatus status = StatusMessages.toProto(monitor.status(bd));
        if (monitor.takeDriftCorrected(bd)) {
            metrics.driftCorrected();
            return status.toBuilder().setDriftCorrected(true).build();
        }
        return status;
    }
    private boolean ownershipLoaded;

    /** Pending work of one BD; at most one runs at a time. */
    private static final class BdTask {
        boolean running;
        Runnable next;
        boolean statusScheduled;
    }

    public DeploymentWorker(Vertx vertx, KubernetesClient kube, Path workDir, KustomizeRunner kustomize,
                            Predicate<AgentMessage> sender) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.pool = vertx.createSharedWorkerExecutor("flotilla-apply", 2);
        this.deployer = new Deployer(kube);
        this.monitor = new DeploymentMonitor(kube, deployer, bd -> context.runOnContext(v -> scheduleStatus(bd)));
        this.renderer = BundleRenderer.create();
        this.kustomize = kustomize;
        this.workDir = workDir;
        this.sender = sender;
    }

    /**
     * Reads the ownership records from the cluster (blocking, on the pool) and resumes monitoring them.
     * When the cluster cannot be read yet, the digest stays empty and loading is retried at the next hello.
     */
    public Future<Void> loadOwnership() {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        context.runOnContext(v -> loadOwnershipOnContext().onComplete(done));
        return done.future();
    }

    private Future<Void> loadOwnershipOnContext() {
        return pool.<Map<String, OwnedState>>executeBlocking(() -> {
            Map<String, OwnedState> owned = deployer.loadOwnership();
            owned.values().forEach(monitor::restore);
            return owned;
        }, false).map(owned -> {
            owned.forEach((bd, state) -> applied.put(bd, state.deploymentId()));
            ownershipLoaded = true;
            // Status is re-reported after a restart: the manager may have missed the last change.
            owned.keySet().forEach(this::scheduleStatus);
            LOG.info("Ownership records read from the cluster: {} BundleDeployments held", owned.size());
            return (Void) null;
        }).recover(e -> {
            LOG.warn("Cannot read ownership records from the cluster yet ({}); the next connection retries", e.getMessage());
            return Future.succeededFuture();
        });
    }

    public boolean ownershipLoaded() {
        return ownershipLoaded;
    }

    /** The hello digest: BD name → applied deploymentID. */
    public Map<String, HeldDeployment> held() {
        Map<String, HeldDeployment> held = new HashMap<>();
        applied.forEach((bd, id) -> held.put(bd, HeldDeployment.newBuilder().setAppliedDeploymentId(id).build()));
        return held;
    }

    /** After a (re)connect: reports that were never acknowledged go again. */
    public void connected() {
        context.runOnContext(v -> resendUnacked());
    }

    private void resendUnacked() {
        if (!unacked.isEmpty()) {
            LOG.info("Re-sending {} unacknowledged status reports", unacked.size());
            send(new ArrayList<>(unacked.values()));
        }
    }

    public void onMessage(ManagerMessage message) {
        context.runOnContext(v -> handle(message));
    }

    private void handle(ManagerMessage message) {
        switch (message.getKindCase()) {
            case UPSERT -> upsert(message.getUpsert());
            case DELETE -> delete(message.getDelete());
            case CONTENT -> content(message.getContent());
            case ACK -> ack(message.getAck().getSequence());
            default -> LOG.debug("Ignoring manager message {}", message.getKindCase());
        }
    }

    private void upsert(DeploymentUpsert upsert) {
        wanted.put(upsert.getName(), upsert);
        if (upsert.getDeploymentId().equals(applied.get(upsert.getName())) && monitor.trackedNames().contains(upsert.getName())) {
            LOG.debug("BD {}: deploymentID {} already applied", upsert.getName(), upsert.getDeploymentId());
            scheduleStatus(upsert.getName());
            return;
        }
        if (!contents.containsKey(upsert.getContentId())) {
            if (contentRequested.add(upsert.getContentId())) {
                sender.test(AgentMessage.newBuilder().setContentRequest(ContentRequest.newBuilder()
                        .addContentIds(upsert.getContentId())).build());
            }
            return;
        }
        List<String> unmet = unmetDependencies(upsert);
        if (!unmet.isEmpty()) {
            boolean first = waiting.put(upsert.getName(), upsert) == null;
            if (first) {
                LOG.info("BD {}: waiting for {}", upsert.getName(), String.join(", ", unmet));
            }
            report(waitingStatus(upsert, unmet));
            return;
        }
        waiting.remove(upsert.getName());
        submit(upsert.getName(), () -> applyBlocking(upsert));
    }

    /** dependsOn (§1.2): every named or selected BD on this cluster must be in one of the accepted states (default Ready). */
    private List<String> unmetDependencies(DeploymentUpsert upsert) {
        List<String> unmet = new ArrayList<>();
        for (var dep : upsert.getDependsOnList()) {
            List<String> accepted = dep.getAcceptedStatesCount() == 0 ? List.of("Ready") : dep.getAcceptedStatesList();
            List<String> targets = new ArrayList<>();
            if (!dep.getName().isEmpty()) {
                targets.add(dep.getName());
            } else {
                wanted.values().forEach(other -> {
                    if (!other.getName().equals(upsert.getName())
                            && other.getLabelsMap().entrySet().containsAll(dep.getSelectorMap().entrySet())) {
                        targets.add(other.getName());
                    }
                });
            }
            for (String target : targets) {
                String state = state(target);
                if (!accepted.contains(state)) {
                    unmet.add(target + " (" + state + ")");
                }
            }
        }
        return unmet;
    }

    /** The state (§6.1) of a BD as this agent last reported it. */
    private String state(String bd) {
        DeploymentUpsert w = wanted.get(bd);
        DeploymentStatus st = lastReported.get(bd);
        if (w == null) {
            return "not deployed to this cluster";
        }
        if (st == null || !st.getAppliedDeploymentId().equals(w.getDeploymentId())) {
            return st != null && st.getErrApplied() ? "ErrApplied" : "WaitApplied";
        }
        if (!st.getReady()) {
            return "NotReady";
        }
        return st.getNonModified() ? "Ready" : "Modified";
    }

    private DeploymentStatus waitingStatus(DeploymentUpsert upsert, List<String> unmet) {
        String message = "waiting for dependencies: " + String.join(", ", unmet);
        return DeploymentStatus.newBuilder().setName(upsert.getName())
                .setAppliedDeploymentId(applied.getOrDefault(upsert.getName(), ""))
                .setReady(false).setNonModified(true).setMessage(message)
                .addConditions(io.flotilla.proto.v1.Condition.newBuilder().setType("Deployed").setStatus("True")
                        .setReason("WaitingForDependencies").setMessage(message))
                .addConditions(io.flotilla.proto.v1.Condition.newBuilder().setType("Ready").setStatus("False")
                        .setReason("WaitingForDependencies").setMessage(message))
                .build();
    }

    private void content(BundleContent content) {
        List<BundleResource> resources = content.getResourcesList().stream()
                .map(r -> new BundleResource(r.getName(), r.getContent(), r.getEncoding().isEmpty() ? null : r.getEncoding()))
                .toList();
        contents.put(content.getContentId(), resources);
        contentRequested.remove(content.getContentId());
        wanted.values().stream().filter(u -> u.getContentId().equals(content.getContentId())).toList()
                .forEach(this::upsert);
    }

    private void delete(DeploymentDelete delete) {
        String bd = delete.getName();
        wanted.remove(bd);
        waiting.remove(bd);
        // No longer applied from now on: an upsert of the same BD arriving while this deletion is queued or running
        // (a cluster relabelled out and straight back in) must apply again after it, not count as done.
        applied.remove(bd);
        submit(bd, () -> {
            deployer.delete(bd, delete.getKeepResources(), delete.getDeleteCrdResources());
            monitor.forget(bd);
            LOG.info("BD {} deleted{}", bd, delete.getKeepResources() ? " (resources kept: keepResources)" : " with its objects");
            return StatusMessages.deleted(bd);
        });
    }

    private interface BlockingTask {
        DeploymentStatus run() throws Exception;
    }

    /** Runs {@code work} for {@code bd} on the pool after the BD's current task; a newer task replaces a waiting one. */
    private void submit(String bd, BlockingTask work) {
        BdTask task = tasks.computeIfAbsent(bd, k -> new BdTask());
        Runnable run = () -> pool.executeBlocking(work::run, false).onComplete(ar -> {
            if (ar.succeeded()) {
                DeploymentStatus status = ar.result();
                if (status.getDeleted()) {
                    applied.remove(bd);
                    lastReported.remove(bd);
                } else {
                    applied.put(bd, status.getAppliedDeploymentId());
                }
                report(status);
            } else {
                LOG.error("BD {}: work failed: {}", bd, ar.cause().toString());
                DeploymentUpsert u = wanted.get(bd);
                report(StatusMessages.toProto(StatusComposer.compose(bd, applied.getOrDefault(bd, ""),
                        ApplyFailure.errApplied(ar.cause().getMessage() == null ? ar.cause().toString() : ar.cause().getMessage()),
                        List.of(), Map.of(), List.of(), List.of())));
                if (u == null) {
                    applied.remove(bd);
                }
            }
            task.running = false;
            if (task.next != null) {
                Runnable next = task.next;
                task.next = null;
                task.running = true;
                next.run();
            }
        });
        if (task.running) {
            task.next = run;
        } else {
            task.running = true;
            run.run();
        }
    }

    private DeploymentStatus applyBlocking(DeploymentUpsert upsert) throws Exception {
        String bd = upsert.getName();
        BundleDeploymentOptions options = OPTIONS_MAPPER.readValue(upsert.getOptionsJson(),
                BundleDeploymentOptions.class);
        List<BundleResource> resources = contents.get(upsert.getContentId());
        RenderedBundle rendered;
        long start = System.nanoTime();
        try {
            rendered = renderer.render(bd, resources, options,
                    RenderContext.of(BundleNames.helmReleaseName(bd), workDir, kustomize));
        } catch (RenderException e) {
            LOG.warn("BD {}: cannot render deploymentID {}: {}", bd, upsert.getDeploymentId(), e.getMessage());
            metrics.applied("render_error", System.nanoTime() - start);
            String previous = deployer.ownership(bd).map(OwnedState::deploymentId).orElse("");
            return StatusMessages.toProto(StatusComposer.compose(bd, previous, ApplyFailure.errApplied(e.getMessage()),
                    List.of(), Map.of(), List.of(), List.of()));
        }
        DeploymentRequest request = new DeploymentRequest(bd, upsert.getDeploymentId(), options, rendered.objects());
        ApplyOutcome outcome = deployer.apply(request);
        metrics.applied(outcome.succeeded() ? "success" : "failure", System.nanoTime() - start);
        outcome.errors().forEach(error -> metrics.apiError(io.flotilla.agent.metrics.AgentMetrics.reason(error.code())));
        monitor.track(request, outcome);
        LOG.info("BD {}: deploymentID {} applied ({} created, {} patched, {} pruned{})", bd, upsert.getDeploymentId(),
                outcome.created().size(), outcome.patched().size(), outcome.pruned().size(),
                outcome.failure() == null ? "" : "; failed: " + outcome.failure().message());
        return statusReport(bd);
    }

    /** An owned object changed: recompute the BD's status soon, once for a burst of events. */
    private void scheduleStatus(String bd) {
        BdTask task = tasks.computeIfAbsent(bd, k -> new BdTask());
        if (task.statusScheduled) {
            return;
        }
        task.statusScheduled = true;
        vertx.setTimer(STATUS_COALESCE_MS, id -> {
            task.statusScheduled = false;
            if (!monitor.trackedNames().contains(bd)) {
                return;
            }
            submit(bd, () -> statusReport(bd));
        });
    }

    private void report(DeploymentStatus status) {
        if (status.equals(lastReported.get(status.getName())) && !status.getDeleted()) {
            return;
        }
        lastReported.put(status.getName(), status);
        long seq = ++sequence;
        unacked.put(status.getName(), status);
        unackedSequence.put(status.getName(), seq);
        sender.test(AgentMessage.newBuilder().setReport(StatusReport.newBuilder().setSequence(seq)
                .addDeployments(status)).build());
        // A changed state may release BDs that depend on this one, or change what they wait for.
        if (!waiting.isEmpty() && !waiting.containsKey(status.getName())) {
            new ArrayList<>(waiting.values()).forEach(this::upsert);
        }
    }

    private void send(List<DeploymentStatus> statuses) {
        long seq = ++sequence;
        statuses.forEach(s -> unackedSequence.put(s.getName(), seq));
        sender.test(AgentMessage.newBuilder().setReport(StatusReport.newBuilder().setSequence(seq)
                .addAllDeployments(statuses)).build());
    }

    private void ack(long acked) {
        unackedSequence.entrySet().removeIf(e -> {
            if (e.getValue() <= acked) {
                unacked.remove(e.getKey());
                return true;
            }
            return false;
        });
    }

    /** BDs the agent has applied, by name (for tests and the hello). */
    public Map<String, String> applied() {
        return Map.copyOf(applied);
    }

    @Override
    public void close() {
        monitor.close();
        pool.close();
    }
}

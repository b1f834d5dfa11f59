package io.flotilla.manager.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.DeploymentIds;
import io.flotilla.manager.agents.AgentMessageHandler;
import io.flotilla.manager.agents.AgentSession;
import io.flotilla.manager.agents.AgentStreamServer;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.statusapi.BdDisplay;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreListener;
import io.flotilla.manager.targeting.ClusterKey;
import io.flotilla.manager.targeting.ClusterNamespaces;
import io.flotilla.proto.v1.Ack;
import io.flotilla.proto.v1.BundleContent;
import io.flotilla.proto.v1.BundleResource;
import io.flotilla.proto.v1.ContentRequest;
import io.flotilla.proto.v1.DeploymentDelete;
import io.flotilla.proto.v1.DeploymentStatus;
import io.flotilla.proto.v1.DeploymentUpsert;
import io.flotilla.proto.v1.HeldDeployment;
import io.flotilla.proto.v1.Hello;
import io.flotilla.proto.v1.ManagerMessage;
import io.flotilla.proto.v1.StatusReport;
import io.vertx.core.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;

/**
 * Moves BundleDeployments between the store and the agents: every BD create, update or delete is sent to
 * the cluster's agent when it is connected; on (re)connect the agent's digest is compared with the
 * stored BDs and only the difference is sent. Agent reports become BD status. Delivery is
 * at-least-once; the agent applies idempotently.
 */
public final class AgentDelivery implements AgentMessageHandler, StoreListener {
    private static final Logger LOG = LoggerFactory.getLogger(AgentDelivery.class);

    private final Store store;
    private final Blocking blocking;
    private final Context context;
    private final AgentStreamServer agents;
    private final Map<ObjectKey, Long> sentGenerations = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per BD, the sequence of the newest report applied: an older one arriving later must not overwrite it. */
    private final Map<ObjectKey, Long> reportedSequences = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong staleReports = new java.util.concurrent.atomic.AtomicLong();

    private final ReportObserver reportObserver;
    private final BdStatusPersister statusPersister;

    /** Told of each report as it arrives, before it is stored (status is published from it at once). */
    public interface ReportObserver {
        void report(String bdNamespace, String bdName, JsonNode status);
    }

    public AgentDelivery(Store store, Blocking blocking, Context context, AgentStreamServer agents,
                         ReportObserver reportObserver, BdStatusPersister statusPersister) {
        this.statusPersister = statusPersister;
        this.reportObserver = reportObserver;
        this.store = store;
        this.blocking = blocking;
        this.context = context;
        this.agents = agents;
    }

    // ---- store → agents ------------------------------------------------------------------------------------

    @Override
    public void onEvent(EventType type, ObjectNode object) {
        if (Json.kind(object).orElse(null) != Kind.BUNDLE_DEPLOYMENT) {
            return;
        }
        ClusterKey cluster = BundleDeployments.cluster(object);
        ObjectKey sessionKey = new ObjectKey(Kind.CLUSTER, cluster.namespace(), cluster.name());
        if (type == EventType.DELETED) {
            boolean keep = object.path("spec").path("options").path("keepResources").asBoolean(false);
            boolean deleteCrds = object.path("spec").path("options").path("deleteCRDResources").asBoolean(false);
            String name = Json.name(object);
            sentGenerations.remove(Json.key(object));
            reportedSequences.remove(Json.key(object));
            context.runOnContext(v -> {
                AgentSession session = agents.session(sessionKey);
                if (session != null) {
                    session.forgetUpsert(name);
                    session.send(deleteMessage(name, keep, deleteCrds));
                    LOG.info("{}: BD {} deleted, delete sent to the agent (keepResources={})", sessionKey, name, keep);
                }
            });
            return;
        }
        if (object.path("spec").path("deploymentID").asText("").isEmpty()) {
            return; // nothing released yet (created while paused, or waiting for its rollout turn)
        }
        ObjectNode bd = object.deepCopy();
        // Only spec changes (a new generation) are news for the agent; status writes (its own reports) are not.
        long generation = bd.path("metadata").path("generation").asLong();
        Long previous = sentGenerations.put(Json.key(bd), generation);
        if (previous != null && previous == generation) {
            return;
        }
        context.runOnContext(v -> {
            AgentSession session = agents.session(sessionKey);
            if (session != null) {
                sendUpsert(session, bd);
            }
        });
    }

    private void sendUpsert(AgentSession session, ObjectNode bd) {
        if (!session.markUpsertSent(Json.name(bd), bd.path("metadata").path("generation").asLong())) {
            return;
        }
        String contentId = bd.path("spec").path("contentId").asText();
        if (session.markContentSent(contentId)) {
            blocking.run(() -> loadContent(bd)).onComplete(ar -> {
                if (ar.succeeded() && ar.result().isPresent()) {
                    session.send(ManagerMessage.newBuilder().setContent(ar.result().get()).build());
                } else {
                    LOG.warn("{}: content {} of BD {} could not be loaded{}", session.cluster(), contentId, Json.name(bd),
                            ar.failed() ? ": " + ar.cause() : " (bundle gone)");
                }
                session.send(upsertMessage(bd));
            });
        } else {
            session.send(upsertMessage(bd));
        }
    }

    private Optional<BundleContent> loadContent(ObjectNode bd) {
        JsonNode labels = bd.path("metadata").path("labels");
        ObjectKey bundleKey = new ObjectKey(Kind.BUNDLE, labels.path(BundleDeployments.BUNDLE_NAMESPACE_LABEL).asText(),
                labels.path(BundleDeployments.BUNDLE_NAME_LABEL).asText());
        return store.get(bundleKey).map(bundle -> content(bundle, bd.path("spec").path("contentId").asText()));
    }

    static BundleContent content(ObjectNode bundle, String contentId) {
        BundleContent.Builder content = BundleContent.newBuilder().setContentId(contentId);
        for (JsonNode r : bundle.path("spec").path("resources")) {
            content.addResources(BundleResource.newBuilder()
                    .setName(r.path("name").asText())
                    .setContent(r.path("content").asText())
                    .setEncoding(r.path("encoding").asText("")));
        }
        return content.build();
    }

    static ManagerMessage upsertMessage(ObjectNode bd) {
        JsonNode spec = bd.path("spec");
        DeploymentUpsert.Builder upsert = DeploymentUpsert.newBuilder()
                .setName(Json.name(bd))
                .setBundleNamespace(bd.path("metadata").path("labels").path(BundleDeployments.BUNDLE_NAMESPACE_LABEL).asText())
                .setDeploymentId(spec.path("deploymentID").asText())
                .setContentId(spec.path("contentId").asText())
                .setOptionsJson(canonicalOptions(spec.path("options")))
                .setPaused(spec.path("paused").asBoolean(false));
        bd.path("metadata").path("labels").fields().forEachRemaining(e -> upsert.putLabels(e.getKey(), e.getValue().asText()));
        for (JsonNode dep : spec.path("dependsOn")) {
            io.flotilla.proto.v1.DependsOn.Builder d = io.flotilla.proto.v1.DependsOn.newBuilder()
                    .setName(dep.path("name").asText(""));
            dep.path("selector").path("matchLabels").fields().forEachRemaining(e -> d.putSelector(e.getKey(), e.getValue().asText()));
            dep.path("acceptedStates").forEach(st -> d.addAcceptedStates(st.asText()));
            upsert.addDependsOn(d);
        }
        return ManagerMessage.newBuilder().setUpsert(upsert).build();
    }

    private static String canonicalOptions(JsonNode options) {
        try {
            return DeploymentIds.canonicalJson(Json.MAPPER.treeToValue(options, BundleDeploymentOptions.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored BD options do not parse: " + e.getOriginalMessage(), e);
        }
    }

    static ManagerMessage deleteMessage(String name, boolean keepResources, boolean deleteCrds) {
        return ManagerMessage.newBuilder().setDelete(DeploymentDelete.newBuilder().setName(name)
                .setKeepResources(keepResources).setDeleteCrdResources(deleteCrds)).build();
    }

    // ---- agents → store ------------------------------------------------------------------------------------

    @Override
    public void onHello(AgentSession session, Hello hello) {
        ObjectKey cluster = session.cluster();
        String bdNamespace = ClusterNamespaces.of(cluster.namespace(), cluster.name());
        Map<String, HeldDeployment> held = new HashMap<>(hello.getHeldMap());
        blocking.run(() -> store.list(Kind.BUNDLE_DEPLOYMENT, bdNamespace)).onSuccess(stored -> {
            int upserts = 0;
            for (ObjectNode bd : stored) {
                long reported = bd.path("status").path("reportedSequence").asLong(0);
                if (reported > 0) {
                    reportedSequences.merge(Json.key(bd), reported, Math::max);
                }
                HeldDeployment h = held.remove(Json.name(bd));
                String released = bd.path("spec").path("deploymentID").asText("");
                if (released.isEmpty()) {
                    continue; // nothing released to it yet
                }
                if (h == null || !h.getAppliedDeploymentId().equals(released)) {
                    sendUpsert(session, bd);
                    upserts++;
                }
            }
            // What the agent holds but the manager no longer wants was deleted while it was away.
            held.keySet().forEach(name -> {
                session.forgetUpsert(name);
                session.send(deleteMessage(name, false, false));
            });
            LOG.info("{}: agent holds {} BDs; sent {} upserts and {} deletes to catch up", cluster,
                    hello.getHeldCount(), upserts, held.size());
        }).onFailure(e -> LOG.error("{}: could not read its BDs for the hello: {}", cluster, e.toString()));
    }

    @Override
    public void onContentRequest(AgentSession session, ContentRequest request) {
        java.util.Set<String> wanted = new java.util.HashSet<>(request.getContentIdsList());
        ObjectKey cluster = session.cluster();
        String bdNamespace = ClusterNamespaces.of(cluster.namespace(), cluster.name());
        // Only content this cluster's own BDs reference: another cluster's bundles are none of its business.
        blocking.run(() -> {
            Map<String, ObjectNode> own = new HashMap<>();
            for (ObjectNode bd : store.list(Kind.BUNDLE_DEPLOYMENT, bdNamespace)) {
                String id = bd.path("spec").path("contentId").asText();
                if (wanted.contains(id)) {
                    own.putIfAbsent(id, bd);
                }
            }
            java.util.Set<String> refused = new java.util.TreeSet<>(wanted);
            refused.removeAll(own.keySet());
            if (!refused.isEmpty()) {
                LOG.warn("{}: content {} refused: no BD of this cluster references it", cluster, refused);
            }
            return own.values().stream().map(this::loadContent).flatMap(Optional::stream).toList();
        }).onSuccess(contents -> contents.forEach(c -> {
            session.markContentSent(c.getContentId());
            session.send(ManagerMessage.newBuilder().setContent(c).build());
        }));
    }

    private io.flotilla.manager.events.EventRecorder events = io.flotilla.manager.events.EventRecorder.NONE;

    /** Apply failures and drift corrections that agents report become events of the BD's Bundle. */
    public void observe(io.flotilla.manager.events.EventRecorder events) {
        this.events = events;
    }

    /** Events for what a report says happened on the cluster (best effort; never delays the report). */
    private void reportEvents(ObjectKey cluster, DeploymentStatus st) {
        String failure = st.getErrApplied() ? st.getMessage() : null;
        for (io.flotilla.proto.v1.Condition c : st.getConditionsList()) {
            // Deployed=False: ErrApplied (§7.1); Installed=False: objects the API refused as invalid (NotReady)
            if (failure == null && (c.getType().equals("Deployed") || c.getType().equals("Installed"))
                    && c.getStatus().equals("False")) {
                failure = c.getMessage().isEmpty() ? c.getReason() : c.getMessage();
            }
        }
        // BD name = bundle name; the bundle lives in the cluster's namespace (no BundleNamespaceMapping)
        if (failure != null) {
            events.warning("Bundle", cluster.namespace(), st.getName(), "ApplyFailed",
                    "cluster " + cluster.name() + ": " + (failure.isEmpty() ? "apply failed" : failure));
        }
        if (st.getDriftCorrected()) {
            events.normal("Bundle", cluster.namespace(), st.getName(), "DriftCorrected",
                    "cluster " + cluster.name() + ": drifted objects re-applied (correctDrift)");
        }
    }

    @Override
    public void onReport(AgentSession session, StatusReport report) {
        ObjectKey cluster = session.cluster();
        String bdNamespace = ClusterNamespaces.of(cluster.namespace(), cluster.name());
        long sequence = report.getSequence();
        List<DeploymentStatus> fresh = new java.util.ArrayList<>(report.getDeploymentsCount());
        for (DeploymentStatus st : report.getDeploymentsList()) {
            ObjectKey bd = new ObjectKey(Kind.BUNDLE_DEPLOYMENT, bdNamespace, st.getName());
            Long newest = reportedSequences.get(bd);
            if (newest != null && sequence < newest) {
                // a late or replayed old report (sequences only grow): newer status is already applied
                long count = staleReports.incrementAndGet();
                LOG.debug("{}: stale report {} for BD {} ignored (newest {}; {} stale so far)", cluster, sequence,
                        st.getName(), newest, count);
                continue;
            }
            reportedSequences.put(bd, sequence);
            fresh.add(st);
        }
        for (DeploymentStatus st : fresh) {
            if (!st.getDeleted()) {
                ObjectNode status = Json.object();
                writeStatus(status, st, sequence);
                reportObserver.report(bdNamespace, st.getName(), status);
                reportEvents(cluster, st);
            }
        }
        List<Future<Void>> writes = new ArrayList<>();
        for (DeploymentStatus st : fresh) {
            if (!st.getDeleted()) {
                writes.add(statusPersister.write(new ObjectKey(Kind.BUNDLE_DEPLOYMENT, bdNamespace, st.getName()), bd -> {
                    writeStatus(Json.status(bd), st, sequence);
                    BdDisplay.update(bd);
                }));
            }
        }
        Future.all(writes).onSuccess(v -> session.send(ManagerMessage.newBuilder().setAck(Ack.newBuilder().setSequence(sequence)).build()))
                .onFailure(e -> LOG.error("{}: could not store report {}: {}", cluster, sequence, e.toString()));
    }

    /** Reports ignored because a newer one for the same BD had already been applied (acknowledged all the same). */
    public long staleReports() {
        return staleReports.get();
    }

    /** Fleet's BD status fields (§1.3) from one agent report. */
    static void writeStatus(ObjectNode status, DeploymentStatus st, long sequence) {
        status.put("appliedDeploymentID", st.getAppliedDeploymentId());
        status.put("ready", st.getReady());
        status.put("nonModified", st.getNonModified());
        status.put("incompleteState", st.getIncompleteState());
        status.put("reportedSequence", sequence);
        ArrayNode nonReady = status.putArray("nonReadyStatus");
        st.getNonReadyList().forEach(n -> {
            ObjectNode o = nonReady.addObject();
            o.put("uid", n.getUid());
            o.put("kind", n.getKind());
            o.put("apiVersion", n.getApiVersion());
            o.put("namespace", n.getNamespace());
            o.put("name", n.getName());
            ObjectNode summary = o.putObject("summary");
            summary.put("state", n.getState());
            summary.put("error", n.getError());
            summary.put("transitioning", n.getTransitioning());
            ArrayNode messages = summary.putArray("message");
            n.getMessageList().forEach(messages::add);
        });
        ArrayNode modified = status.putArray("modifiedStatus");
        st.getModifiedList().forEach(m -> {
            ObjectNode o = modified.addObject();
            o.put("kind", m.getKind());
            o.put("apiVersion", m.getApiVersion());
            o.put("namespace", m.getNamespace());
            o.put("name", m.getName());
            o.put("missing", m.getMissing());
            o.put("exist", m.getExist());
            o.put("delete", m.getDelete());
            o.put("patch", m.getPatch());
        });
        ArrayNode resources = status.putArray("resources");
        st.getResourcesList().forEach(r -> {
            ObjectNode o = resources.addObject();
            o.put("kind", r.getKind());
            o.put("apiVersion", r.getApiVersion());
            o.put("namespace", r.getNamespace());
            o.put("name", r.getName());
        });
        ObjectNode counts = status.putObject("resourceCounts");
        var c = st.getResourceCounts();
        counts.put("ready", c.getReady());
        counts.put("desiredReady", c.getDesiredReady());
        counts.put("waitApplied", c.getWaitApplied());
        counts.put("modified", c.getModified());
        counts.put("orphaned", c.getOrphaned());
        counts.put("missing", c.getMissing());
        counts.put("unknown", c.getUnknown());
        counts.put("notReady", c.getNotReady());
        ArrayNode conditions = status.putArray("conditions");
        st.getConditionsList().forEach(cond -> {
            ObjectNode o = conditions.addObject();
            o.put("type", cond.getType());
            o.put("status", cond.getStatus());
            o.put("reason", cond.getReason());
            o.put("message", cond.getMessage());
            if (cond.getLastTransitionUnixMillis() > 0) {
                o.put("lastTransitionTime", java.time.Instant.ofEpochMilli(cond.getLastTransitionUnixMillis()).toString());
            }
        });
    }
}

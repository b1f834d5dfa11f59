package io.flotilla.manager.store.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.flotilla.manager.api.ApiObjects;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreException;
import io.flotilla.manager.store.StoreListener;
import io.flotilla.manager.store.StoreListener.EventType;
import io.flotilla.manager.store.StoreOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Store} of Kubernetes mode: every {@code flotilla.io/v1alpha1} object is a custom resource in the upstream
 * cluster, Secrets are native Secrets.
 *
 * <p><b>Reads</b> come from an in-memory cache fed by one informer per kind (list + watch) and by this store's own
 * writes (write-through): a write that returned is visible to the next {@link #get}, as with the embedded store, and
 * the watch event of that write, arriving later, changes nothing. Between the two sources the newer resourceVersion
 * wins (resourceVersions are etcd revisions; comparing them is what every Kubernetes cache does). Deleted keys keep a
 * tombstone for a while so that a late watch event cannot resurrect them. Secrets are not cached (a manager
 * has no business holding every Secret of a cluster in memory): they are read from the API server on demand.
 *
 * <p><b>Bundle content</b> lives in cluster-scoped {@code Content} objects, one per content id, gzip-compressed
 * ({@link ContentCodec}): a Bundle is written without {@code spec.resources} and read back with them, so callers see
 * the same objects as in the embedded store while etcd holds each manifest once.
 *
 * <p><b>Consistency contract</b> (docs/kubernetes-mode.md): single-object writes have the semantics of
 * {@link Store} (optimistic concurrency on resourceVersion, create/update/updateStatus/delete). The Kubernetes API
 * has no multi-object transaction, so {@link #apply} is <em>not atomic</em>: its operations are sent concurrently
 * (those of one key in order), each succeeds or fails on its own, the first failure in list order is thrown after
 * all were tried, and listeners are told of every operation that took effect. Every caller of {@code apply} is a
 * reconciler that recomputes from the stored state, so a partly applied batch is repaired by its next pass.
 * Listeners are called on the writing thread for this store's writes and on the informer thread for everyone
 * else's, one at a time, in resourceVersion order per object (not across objects).
 */
public final class KubernetesStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesStore.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final long TOMBSTONE_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final Comparator<NamespacedName> NAMESPACE_THEN_NAME =
            Comparator.comparing(NamespacedName::namespace).thenComparing(NamespacedName::name);

    private final KubernetesClient client;
    private final Map<Kind, ConcurrentSkipListMap<NamespacedName, ObjectNode>> caches = new EnumMap<>(Kind.class);
    /** content id → the resources of that content, decoded. */
    private final Map<String, ArrayNode> contents = new ConcurrentHashMap<>();
    private final Map<ObjectKey, Tombstone> tombstones = new ConcurrentHashMap<>();
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    /** Held while the cache changes and listeners are told, so that listeners hear one event at a time. */
    private final Object notifyLock = new Object();
    private final Map<String, Boolean> knownNamespaces = new ConcurrentHashMap<>();
    private final ExecutorService writers;
    private volatile boolean closed;

    private KubernetesStore(KubernetesClient client, int writeConcurrency) {
        this.client = client;
        AtomicInteger threads = new AtomicInteger();
        this.writers = Executors.newFixedThreadPool(writeConcurrency, r -> {
            Thread t = new Thread(r, "flotilla-kube-write-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (Kind kind : Kind.values()) {
            if (kind != Kind.SECRET) {
                caches.put(kind, new ConcurrentSkipListMap<>(NAMESPACE_THEN_NAME));
            }
        }
    }

    /**
     * Installs or upgrades {@code crds} (when non-empty), waits until they are established, starts the informers and
     * returns once every cache holds the cluster's current objects.
     *
     * @throws IllegalStateException with the API server's answer when it cannot be reached, the CRDs are missing
     *                               (and not installed here), or the caches do not fill within a minute
     */
    public static KubernetesStore open(KubernetesClient client, List<CustomResourceDefinition> crds, int writeConcurrency) {
        KubernetesStore store = new KubernetesStore(client, writeConcurrency);
        try {
            if (!crds.isEmpty()) {
                CrdInstaller.installOrUpgrade(client, crds, SYNC_TIMEOUT);
            }
            store.startInformers();
            return store;
        } catch (KubernetesClientException e) {
            store.close();
            throw new IllegalStateException("Kubernetes API " + client.getMasterUrl() + ": " + KubeErrors.describe(e), e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private void startInformers() {
        // Contents first, so that Bundles arriving from their informer find their resources.
        ContentHandler contentHandler = new ContentHandler();
        SharedIndexInformer<GenericKubernetesResource> contentInformer = client
                .genericKubernetesResources(KubeKinds.CONTENT).inform(contentHandler, 0);
        informers.add(contentInformer);
        await(contentInformer, "contents");
        contentInformer.getStore().list().forEach(contentHandler::onAdd);
        Map<Kind, SharedIndexInformer<GenericKubernetesResource>> byKind = new EnumMap<>(Kind.class);
        for (Kind kind : caches.keySet()) {
            byKind.put(kind, client.genericKubernetesResources(KubeKinds.context(kind)).inAnyNamespace()
                    .inform(new KindHandler(kind), 0));
        }
        informers.addAll(byKind.values());
        byKind.forEach((kind, informer) -> {
            await(informer, kind.plural());
            // A synced informer has every object in its own store, but its handlers may not have run yet: take the
            // list from there (the handlers' events that follow are older or equal, and change nothing).
            KindHandler handler = new KindHandler(kind);
            informer.getStore().list().forEach(handler::onAdd);
        });
        LOG.info("Kubernetes store on {}: caches synced ({} objects)", client.getMasterUrl(),
                caches.values().stream().mapToInt(Map::size).sum());
    }

    private static void await(SharedIndexInformer<?> informer, String what) {
        try {
            informer.start().toCompletableFuture().get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KubernetesClientException kce) {
                throw kce;
            }
            throw new IllegalStateException("could not list " + what + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Kubernetes API did not list " + what + " within " + SYNC_TIMEOUT.toSeconds() + " s", e);
        }
    }

    // ---- reads ----

    @Override
    public Optional<ObjectNode> get(ObjectKey key) {
        if (key.kind() == Kind.SECRET) {
            return guarded(key, () -> Optional.ofNullable(resource(key).withName(key.name()).get()).map(KubeObjects::toNode));
        }
        ObjectNode cached = caches.get(key.kind()).get(new NamespacedName(key.namespace(), key.name()));
        return Optional.ofNullable(cached).map(ObjectNode::deepCopy);
    }

    @Override
    public List<ObjectNode> list(Kind kind, String namespace) {
        if (kind == Kind.SECRET) {
            GenericKubernetesResourceList list = guarded(null, () -> namespace == null
                    ? operation(kind).inAnyNamespace().list() : operation(kind).inNamespace(namespace).list());
            return list.getItems().stream().map(KubeObjects::toNode)
                    .sorted(Comparator.comparing(ApiObjects::namespace).thenComparing(ApiObjects::name)).toList();
        }
        ConcurrentSkipListMap<NamespacedName, ObjectNode> cache = caches.get(kind);
        Map<NamespacedName, ObjectNode> range = namespace == null ? cache
                : cache.subMap(new NamespacedName(namespace, ""), true, new NamespacedName(namespace, "\uffff"), true);
        List<ObjectNode> result = new ArrayList<>(range.size());
        range.values().forEach(o -> result.add(o.deepCopy()));
        return result;
    }

    // ---- single writes ----

    @Override
    public Optional<ObjectNode> delete(ObjectKey key, String expectedResourceVersion) {
        try {
            return Optional.of(apply(List.of(StoreOp.delete(key, expectedResourceVersion))).get(0));
        } catch (StoreException.NotFound e) {
            return Optional.empty();
        }
    }

    // ---- batches ----

    @Override
    public List<ObjectNode> apply(List<StoreOp> ops) {
        if (ops.isEmpty()) {
            return List.of();
        }
        if (ops.size() == 1) {
            Written written = execute(ops.get(0));
            announce(written);
            return List.of(written.result());
        }
        // Operations on one key stay in order (a create then an update of it); different keys go concurrently.
        Map<ObjectKey, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            byKey.computeIfAbsent(keyOf(ops.get(i)), k -> new ArrayList<>()).add(i);
        }
        Object[] outcomes = new Object[ops.size()];
        List<Future<?>> running = new ArrayList<>(byKey.size());
        for (List<Integer> indexes : byKey.values()) {
            running.add(writers.submit(() -> {
                for (int i : indexes) {
                    try {
                        Written written = execute(ops.get(i));
                        outcomes[i] = written;
                        announce(written);
                    } catch (RuntimeException e) {
                        outcomes[i] = e;
                        break; // the later operations of this key depend on this one
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to the Kubernetes API", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        List<ObjectNode> results = new ArrayList<>(ops.size());
        RuntimeException first = null;
        for (int i = 0; i < ops.size(); i++) {
            Object outcome = outcomes[i];
            if (outcome instanceof Written w) {
                results.add(w.result());
            } else if (first == null) {
                first = outcome instanceof RuntimeException e ? e
                        : new IllegalStateException("not written: an earlier operation on " + keyOf(ops.get(i)) + " failed");
            }
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    private static ObjectKey keyOf(StoreOp op) {
        if (op instanceof StoreOp.Delete d) {
            return d.key();
        }
        ObjectNode object = op instanceof StoreOp.Create c ? c.object()
                : op instanceof StoreOp.Update u ? u.object() : ((StoreOp.UpdateStatus) op).object();
        return ApiObjects.key(object);
    }

    /** The result of one operation: what the caller gets, and the cache change with its event. */
    private record Written(ObjectNode result, ObjectKey key, EventType type) {
    }

    private Written execute(StoreOp op) {
        if (closed) {
            throw new IllegalStateException("the Kubernetes store is closed");
        }
        if (op instanceof StoreOp.Create c) {
            return doCreate(c.object());
        }
        if (op instanceof StoreOp.Update u) {
            return doUpdate(u.object(), false);
        }
        if (op instanceof StoreOp.UpdateStatus s) {
            return doUpdate(s.object(), true);
        }
        StoreOp.Delete d = (StoreOp.Delete) op;
        return doDelete(d.key(), d.expectedResourceVersion());
    }

    private Written doCreate(ObjectNode incoming) {
        ObjectKey key = ApiObjects.key(incoming);
        ObjectNode object = incoming.deepCopy();
        if (!object.path("apiVersion").isTextual()) {
            object.put("apiVersion", key.kind().apiVersion());
        }
        ObjectNode metadata = ApiObjects.metadata(object);
        for (String serverField : List.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields")) {
            metadata.remove(serverField);
        }
        JsonNode status = object.remove("status");
        ArrayNode resources = splitContent(key, object);
        ensureNamespace(key);
        ObjectNode created = guarded(key, () -> KubeObjects.toNode(resource(key).resource(KubeObjects.toResource(object)).create()));
        if (status != null && !status.isNull() && KubeKinds.hasStatus(key.kind())) {
            // The API server ignores status on create; the embedded store keeps it, so write it right after.
            created = writeInitialStatus(key, created, status);
        }
        attachContent(created, resources);
        return new Written(created, key, EventType.ADDED);
    }

    /**
     * The status given on create, written right after it. The object is visible from its create on: if someone
     * else (an agent's report) wrote a status first, theirs is newer than the creator's and is kept.
     */
    private ObjectNode writeInitialStatus(ObjectKey key, ObjectNode created, JsonNode status) {
        ObjectNode current = created;
        for (int attempt = 1; ; attempt++) {
            ObjectNode withStatus = current.deepCopy();
            withStatus.set("status", status);
            try {
                return guarded(key, () -> KubeObjects.toNode(resource(key).resource(KubeObjects.toResource(withStatus)).updateStatus()));
            } catch (StoreException.Conflict e) {
                current = currentFromServer(key).orElseThrow(() -> new StoreException.NotFound(key));
                JsonNode written = current.path("status");
                if (written.isObject() && !written.isEmpty() || attempt >= 5) {
                    return current;
                }
            }
        }
    }

    private Written doUpdate(ObjectNode incoming, boolean statusOnly) {
        ObjectKey key = ApiObjects.key(incoming);
        ObjectNode object = incoming.deepCopy();
        if (!object.path("apiVersion").isTextual()) {
            object.put("apiVersion", key.kind().apiVersion());
        }
        ObjectNode metadata = ApiObjects.metadata(object);
        metadata.remove("managedFields");
        boolean unconditional = ApiObjects.resourceVersion(object).isEmpty();
        ArrayNode resources = statusOnly ? null : splitContent(key, object);
        for (int attempt = 1; ; attempt++) {
            if (unconditional) {
                // The Store contract: an empty resourceVersion means "whatever is stored"; the API wants one.
                ObjectNode current = currentFromServer(key).orElseThrow(() -> new StoreException.NotFound(key));
                metadata.put("resourceVersion", ApiObjects.resourceVersion(current).orElse(""));
                if (statusOnly) {
                    object.set("spec", current.get("spec"));
                }
            }
            if (statusOnly && !object.has("status")) {
                object.putObject("status");
            }
            try {
                ObjectNode updated = guarded(key, () -> {
                    var op = resource(key).resource(KubeObjects.toResource(object));
                    return KubeObjects.toNode(statusOnly && KubeKinds.hasStatus(key.kind()) ? op.updateStatus() : op.update());
                });
                if (statusOnly) {
                    attachContent(updated, null);
                } else {
                    attachContent(updated, resources);
                }
                return new Written(updated, key, EventType.MODIFIED);
            } catch (StoreException.Conflict e) {
                if (!unconditional || attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private Written doDelete(ObjectKey key, String expectedResourceVersion) {
        Optional<ObjectNode> known = key.kind() == Kind.SECRET ? get(key) : get(key).or(() -> currentFromServer(key));
        ObjectNode last = known.orElseThrow(() -> new StoreException.NotFound(key));
        boolean deleted = guarded(key, () -> {
            var named = resource(key).withName(key.name());
            var deletion = expectedResourceVersion == null || expectedResourceVersion.isEmpty()
                    ? named.delete() : named.lockResourceVersion(expectedResourceVersion).delete();
            return !deletion.isEmpty();
        });
        if (!deleted) {
            throw new StoreException.NotFound(key);
        }
        if (key.kind() == Kind.BUNDLE) {
            collectContentLater(last.path("spec").path("contentId").asText(""));
        }
        return new Written(last, key, EventType.DELETED);
    }

    private Optional<ObjectNode> currentFromServer(ObjectKey key) {
        return guarded(key, () -> Optional.ofNullable(resource(key).withName(key.name()).get()).map(KubeObjects::toNode))
                .map(o -> {
                    attachContent(o, null);
                    return o;
                });
    }

    // ---- the cache and listeners ----

    /** A write of this store: into the cache (unless a newer version got there first) and to the listeners. */
    private void announce(Written written) {
        if (written.key().kind() == Kind.SECRET) {
            notifyListeners(written.type(), written.result());
            return;
        }
        if (written.type() == EventType.DELETED) {
            removed(written.key(), written.result());
        } else {
            changed(written.key(), written.result(), written.type());
        }
    }

    private void changed(ObjectKey key, ObjectNode object, EventType type) {
        long rv = rvOf(object);
        synchronized (notifyLock) {
            Tombstone tomb = tombstones.get(key);
            if (tomb != null) {
                if (rv <= tomb.resourceVersion()) {
                    return; // a late event of an object that was deleted since
                }
                tombstones.remove(key);
            }
            var cache = caches.get(key.kind());
            NamespacedName name = new NamespacedName(key.namespace(), key.name());
            ObjectNode cached = cache.get(name);
            if (cached != null && rv <= rvOf(cached)) {
                return; // this store's own write, announced already, or an older version
            }
            cache.put(name, object.deepCopy());
            notifyListeners(cached == null ? EventType.ADDED : type == EventType.ADDED ? EventType.MODIFIED : type, object);
        }
    }

    private void removed(ObjectKey key, ObjectNode last) {
        synchronized (notifyLock) {
            ObjectNode cached = caches.get(key.kind()).remove(new NamespacedName(key.namespace(), key.name()));
            long rv = Math.max(rvOf(last), cached == null ? 0 : rvOf(cached));
            tombstones.put(key, new Tombstone(rv, System.nanoTime()));
            if (tombstones.size() > 1024) {
                long now = System.nanoTime();
                tombstones.values().removeIf(t -> now - t.at() > TOMBSTONE_NANOS);
            }
            if (cached != null) {
                notifyListeners(EventType.DELETED, cached);
            }
        }
    }

    private void notifyListeners(EventType type, ObjectNode object) {
        for (StoreListener listener : listeners) {
            try {
                listener.onEvent(type, object.deepCopy());
            } catch (RuntimeException e) {
                LOG.error("Store listener {} failed on {} of {}", listener, type, ApiObjects.key(object), e);
            }
        }
    }

    private static long rvOf(ObjectNode object) {
        try {
            return Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // not an etcd revision: treat as newest
        }
    }

    private record Tombstone(long resourceVersion, long at) {
    }

    private record NamespacedName(String namespace, String name) {
    }

    /** Watch events of one flotilla.io kind, i.e. writes by anyone (kubectl, another replica, this store). */
    private final class KindHandler implements ResourceEventHandler<GenericKubernetesResource> {
        private final Kind kind;

        KindHandler(Kind kind) {
            this.kind = kind;
        }

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            onUpdate(null, obj);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            ObjectNode object = KubeObjects.toNode(newObj);
            try {
                attachContent(object, null);
                changed(new ObjectKey(kind, ApiObjects.namespace(object), ApiObjects.name(object)), object, EventType.MODIFIED);
            } catch (RuntimeException e) {
                LOG.error("{} {}/{}: could not take its watch event: {}", kind.kindName(), ApiObjects.namespace(object),
                        ApiObjects.name(object), e.toString());
            }
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            ObjectNode object = KubeObjects.toNode(obj);
            removed(new ObjectKey(kind, ApiObjects.namespace(object), ApiObjects.name(object)), object);
        }
    }

    private final class ContentHandler implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource obj) {
            remember(obj);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            remember(newObj);
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            contents.remove(obj.getMetadata().getName());
        }

        private void remember(GenericKubernetesResource obj) {
            try {
                contents.put(obj.getMetadata().getName(), ContentCodec.decode(KubeObjects.toNode(obj)));
            } catch (RuntimeException e) {
                LOG.error("Content {} is unreadable: {}", obj.getMetadata().getName(), e.getMessage());
            }
        }
    }

    // ---- bundle content ----

    /** Takes {@code spec.resources} off a Bundle and makes sure its Content object exists; returns them. */
    private ArrayNode splitContent(ObjectKey key, ObjectNode object) {
        if (key.kind() != Kind.BUNDLE || !(object.path("spec") instanceof ObjectNode spec)) {
            return null;
        }
        JsonNode resources = spec.remove("resources");
        if (!(resources instanceof ArrayNode array)) {
            return null;
        }
        String contentId = spec.path("contentId").asText("");
        if (contentId.isEmpty()) {
            throw new IllegalArgumentException("Bundle " + key.namespace() + "/" + key.name() + " has resources but no spec.contentId");
        }
        if (!array.equals(contents.get(contentId))) {
            ObjectNode content = ContentCodec.encode(contentId, array);
            try {
                client.genericKubernetesResources(KubeKinds.CONTENT).resource(KubeObjects.toResource(content)).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new IllegalStateException("Content " + contentId + " of Bundle " + key.namespace() + "/"
                            + key.name() + ": " + KubeErrors.describe(e), e);
                }
            }
            contents.put(contentId, array.deepCopy());
        }
        return array;
    }

    /** Puts {@code spec.resources} back on a Bundle read from the API. */
    private void attachContent(ObjectNode object, ArrayNode known) {
        if (!"Bundle".equals(object.path("kind").asText()) || !(object.path("spec") instanceof ObjectNode spec)) {
            return;
        }
        String contentId = spec.path("contentId").asText("");
        if (contentId.isEmpty() || spec.has("resources")) {
            return;
        }
        ArrayNode resources = known != null ? known : contents.get(contentId);
        if (resources == null) {
            GenericKubernetesResource content = client.genericKubernetesResources(KubeKinds.CONTENT).withName(contentId).get();
            if (content == null) {
                throw new IllegalStateException("Bundle " + ApiObjects.namespace(object) + "/" + ApiObjects.name(object)
                        + " refers to Content " + contentId + ", which does not exist");
            }
            resources = ContentCodec.decode(KubeObjects.toNode(content));
            contents.put(contentId, resources);
        }
        spec.set("resources", resources.deepCopy());
    }

    /** Deletes a Content object once no Bundle refers to it (Bundles are deleted before their content is). */
    private void collectContentLater(String contentId) {
        if (contentId.isEmpty()) {
            return;
        }
        writers.execute(() -> {
            boolean used = caches.get(Kind.BUNDLE).values().stream()
                    .anyMatch(b -> contentId.equals(b.path("spec").path("contentId").asText()));
            if (!used && !closed) {
                try {
                    client.genericKubernetesResources(KubeKinds.CONTENT).withName(contentId).delete();
                } catch (KubernetesClientException e) {
                    LOG.warn("Content {} (no longer used) could not be deleted: {}", contentId, KubeErrors.describe(e));
                }
            }
        });
    }

    // ---- plumbing ----

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> operation(Kind kind) {
        return client.genericKubernetesResources(KubeKinds.context(kind));
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> resource(ObjectKey key) {
        return operation(key.kind()).inNamespace(key.namespace());
    }

    /** Creates the namespace of an object the first time this store writes into it (BD namespaces per cluster). */
    private void ensureNamespace(ObjectKey key) {
        String namespace = key.namespace();
        if (knownNamespaces.containsKey(namespace)) {
            return;
        }
        try {
            if (client.namespaces().withName(namespace).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                        .addToLabels("app.kubernetes.io/managed-by", "flotilla").endMetadata().build()).create();
                LOG.info("Created namespace {} for {} {}", namespace, key.kind().kindName(), key.name());
            }
            knownNamespaces.put(namespace, true);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                knownNamespaces.put(namespace, true);
            } else if (e.getCode() != 403) { // may not read namespaces: let the create say what is wrong
                throw new IllegalStateException("namespace " + namespace + ": " + KubeErrors.describe(e), e);
            }
        }
    }

    /** Runs one API call, turning the API server's refusals into the {@link Store}'s exceptions. */
    private <T> T guarded(ObjectKey key, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(key, e);
        }
    }

    @Override
    public void addListener(StoreListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(StoreListener listener) {
        listeners.remove(listener);
    }

    /** Stops the informers and the write pool; does not close the client (the caller's). Idempotent. */
    @Override
    public void close() {
        closed = true;
        informers.forEach(SharedIndexInformer::close);
        writers.shutdown();
    }
}

package io.flotilla.manager.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiObjects;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.store.StoreListener.EventType;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.StringDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The embedded {@link Store}: H2's MVStore in {@code <dataDir>/flotilla.mv.db}.
 *
 * <p><b>Layout.</b> Map {@code objects} holds each object as compact JSON under the key
 * {@code kind/namespace/name} ({@code GitRepo/fleet-local/app}); a list is a prefix scan from {@code kind/}
 * (or {@code kind/namespace/}), so it never reads other kinds. Names and namespaces cannot contain {@code /},
 * so prefixes never overlap. Map {@code meta} holds the resourceVersion counter, written in the same commit as
 * the objects it numbers, so after any restart the counter is greater than every stored resourceVersion.
 *
 * <p><b>Durability.</b> MVStore's background writer is off ({@code autoCommitDisabled}) and so is its
 * commit-when-the-buffer-is-full ({@code autoCommitBufferSize(0)}): a version is written only when this class
 * calls {@link MVStore#commit()}, once per write method (once per {@link #apply batch}), before the method
 * returns. That commit writes the new chunk with {@code FileChannel.write} before it returns; from then on the
 * bytes are in the operating system's page cache and survive the death of the process ({@code kill -9}, OOM
 * kill, JVM crash). On open MVStore takes the newest chunk whose checksums verify, so a write cut short by a
 * kill is absent as a whole, never half a batch. {@code MvStoreCrashSafetyIT} kills a writing JVM to prove it.
 *
 * <p><b>No fsync per write.</b> An fsync only adds protection against power loss or a kernel crash, which is
 * not the guarantee of {@link Store}, and it is not cheap: on the project machine a 4 KiB write plus fsync took
 * 0.24 ms on an idle disk and 3 ms on a busy one, against 0.002 ms without, while a whole single-object commit
 * takes 0.1-0.3 ms.
 *
 * <p><b>Space reuse and power loss.</b> Each commit appends a chunk (30-50 KiB for one small object: the
 * rewritten B-tree leaf, its parents and MVStore's own bookkeeping); a chunk whose data all became obsolete is
 * reused after the retention time. With MVStore's default retention of 45 s a store holding 5 MB of objects grew
 * to 7 GB under a burst of 4,500 single writes/s; with 2 s it stayed at 0.3-0.5 GB at that rate, and the extra
 * space scales with the write rate (tens of MB at hundreds of writes/s). Retention exists so that
 * after a power loss the previous chunks are still intact when the newest ones never reached the disk; we keep
 * that property by forcing the file to disk at least every 0.5 s while writing (always before a commit that
 * may reuse space), so a chunk is never overwritten before the chunks that replaced it are on disk. A power
 * loss may thus lose up to about the last half second of acknowledged writes, but leaves a consistent store.
 *
 * <p><b>Concurrency.</b> Writers are serialized by one lock held from validation to the end of listener calls,
 * so listeners see events in commit order. Readers take a read lock that excludes only the short put+commit
 * window: they run concurrently with each other and never see an uncommitted (not yet durable) write or half
 * a batch.
 *
 * <p><b>Semantics</b> beyond {@link Store}: create keeps a given status, sets {@code apiVersion} when absent;
 * a delete takes a resourceVersion of its own, carried by the returned (and announced) object, as in a
 * Kubernetes {@code DELETED} watch event. Returned objects are the caller's to change; listeners receive a
 * separate copy that they share and must not change.
 */
public final class MvStoreStore implements Store {

    /** The store file's name inside the data directory. */
    public static final String FILE_NAME = "flotilla.mv.db";

    private static final Logger LOG = LoggerFactory.getLogger(MvStoreStore.class);
    private static final String OBJECTS_MAP = "objects";
    private static final String META_MAP = "meta";
    private static final String RESOURCE_VERSION = "resourceVersion";
    private static final char SEPARATOR = '/';
    /** How long a chunk with no live data is kept before its space is reused; MVStore's default is 45 s. */
    private static final int RETENTION_MILLIS = 2_000;
    /** At most this long between fsyncs while writing; must stay well below {@link #RETENTION_MILLIS}. */
    private static final long SYNC_INTERVAL_NANOS = 500_000_000L;
    /** Orders storage keys {@code kind/namespace/name} by namespace, then name. */
    private static final Comparator<String> NAMESPACE_THEN_NAME = (a, b) -> {
        int aNs = a.indexOf(SEPARATOR) + 1;
        int bNs = b.indexOf(SEPARATOR) + 1;
        int aName = a.indexOf(SEPARATOR, aNs);
        int bName = b.indexOf(SEPARATOR, bNs);
        int byNamespace = a.substring(aNs, aName).compareTo(b.substring(bNs, bName));
        return byNamespace != 0 ? byNamespace : a.substring(aName + 1).compareTo(b.substring(bName + 1));
    };
    private final Path file;
    private final MVStore mvStore;
    private final MVMap<String, String> objects;
    private final MVMap<String, String> meta;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
    /** Last resourceVersion handed out; guarded by {@link #writeLock}. */
    private long resourceVersion;
    /** {@link System#nanoTime()} of the last fsync; guarded by {@link #writeLock}. */
    private long lastSync = System.nanoTime();
    /** The last committed resourceVersion, beside the file (see {@link CommitMark}); written under {@link #writeLock}. */
    private CommitMark mark;

    private MvStoreStore(Path file, MVStore mvStore) {
        this.file = file;
        this.mvStore = mvStore;
        this.objects = openStringMap(mvStore, OBJECTS_MAP);
        this.meta = openStringMap(mvStore, META_MAP);
        this.resourceVersion = Long.parseLong(meta.getOrDefault(RESOURCE_VERSION, "0"));
    }

    /**
     * Opens (creating when absent) the store in {@code dataDir}.
     *
     * @throws IllegalStateException naming the file, when it is locked by another process (another manager uses
     *                               this data directory), corrupt, or cannot be read
     */
    public static MvStoreStore open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir.toAbsolutePath(), e);
        }
        MVStore mvStore;
        try {
            mvStore = new MVStore.Builder()
                    .fileName(file.toString())
                    .autoCommitDisabled()
                    .autoCommitBufferSize(0)
                    .open();
            mvStore.setRetentionTime(RETENTION_MILLIS);
        } catch (MVStoreException e) {
            throw new IllegalStateException(openFailure(file, e), e);
        }
        MvStoreStore store;
        try {
            store = new MvStoreStore(file, mvStore);
        } catch (RuntimeException e) {
            mvStore.closeImmediately();
            throw new IllegalStateException("store file " + file + " is unreadable: " + e.getMessage(), e);
        }
        try {
            long marked = CommitMark.recorded(dataDir);
            if (marked > store.resourceVersion) {
                throw new IllegalStateException("store file " + file + " is damaged or older than this data directory: it"
                        + " holds resourceVersion " + store.resourceVersion + ", but the manager had committed up to "
                        + marked + " (" + dataDir.resolve(CommitMark.FILE_NAME).toAbsolutePath() + "). Restore the data"
                        + " directory from a backup; or, to run on this file as it is, delete " + CommitMark.FILE_NAME);
            }
            store.mark = CommitMark.open(dataDir, store.resourceVersion);
        } catch (RuntimeException e) {
            mvStore.closeImmediately();
            throw e;
        }
        return store;
    }

    private static String openFailure(Path file, MVStoreException e) {
        return switch (e.getErrorCode()) {
            case DataUtils.ERROR_FILE_LOCKED -> "store file " + file
                    + " is locked: another Flotilla manager already uses data directory " + file.getParent();
            case DataUtils.ERROR_FILE_CORRUPT -> "store file " + file + " is corrupt: " + e.getMessage();
            case DataUtils.ERROR_UNSUPPORTED_FORMAT -> "store file " + file + " has an unsupported format: "
                    + e.getMessage();
            default -> "cannot open store file " + file + ": " + e.getMessage();
        };
    }

    private static MVMap<String, String> openStringMap(MVStore store, String name) {
        return store.openMap(name, new MVMap.Builder<String, String>()
                .keyType(StringDataType.INSTANCE)
                .valueType(StringDataType.INSTANCE));
    }

    /** The store file. */
    public Path file() {
        return file;
    }

    @Override
    public Optional<ObjectNode> get(ObjectKey key) {
        String json = read(() -> objects.get(storageKey(key)));
        return Optional.ofNullable(json).map(ApiObjects::parse);
    }

    @Override
    public List<ObjectNode> list(Kind kind, String namespace) {
        String prefix = namespace == null
                ? kind.kindName() + SEPARATOR
                : kind.kindName() + SEPARATOR + namespace + SEPARATOR;
        List<Map.Entry<String, String>> entries = read(() -> {
            List<Map.Entry<String, String>> found = new ArrayList<>();
            Cursor<String, String> cursor = objects.cursor(prefix);
            while (cursor.hasNext()) {
                String key = cursor.next();
                if (!key.startsWith(prefix)) {
                    break;
                }
                found.add(Map.entry(key, cursor.getValue()));
            }
            return found;
        });
        // keys sort by "namespace/name" text, which differs from (namespace, name) order when a namespace
        // is a prefix of another ("a" vs "a-b"); the input is nearly sorted, so this sort is close to linear
        entries.sort(Map.Entry.comparingByKey(NAMESPACE_THEN_NAME));
        List<ObjectNode> result = new ArrayList<>(entries.size());
        for (Map.Entry<String, String> entry : entries) {
            result.add(ApiObjects.parse(entry.getValue()));
        }
        return result;
    }

    @Override
    public Optional<ObjectNode> delete(ObjectKey key, String expectedResourceVersion) {
        writeLock.lock();
        try {
            if (read(() -> objects.containsKey(storageKey(key)))) {
                return Optional.of(apply(List.of(StoreOp.delete(key, expectedResourceVersion))).get(0));
            }
            return Optional.empty();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public List<ObjectNode> apply(List<StoreOp> ops) {
        writeLock.lock();
        try {
            Batch batch = new Batch(resourceVersion);
            for (StoreOp op : ops) {
                batch.stage(op);
            }
            commit(batch);
            resourceVersion = batch.resourceVersion;
            notifyListeners(batch.events);
            return batch.results;
        } finally {
            writeLock.unlock();
        }
    }

    private void commit(Batch batch) {
        if (batch.writes.isEmpty()) {
            return;
        }
        syncIfDue();
        commitLock.writeLock().lock();
        try {
            batch.writes.forEach((key, json) -> {
                if (json == null) {
                    objects.remove(key);
                } else {
                    objects.put(key, json);
                }
            });
            meta.put(RESOURCE_VERSION, Long.toString(batch.resourceVersion));
            // commit() answers -1 when it stored nothing; there is always something here (the counter moved)
            if (mvStore.commit() < 0) {
                throw new IllegalStateException("store file " + file + " did not commit the write");
            }
            if (!mark.write(batch.resourceVersion)) {
                LOG.warn("Commit mark {} cannot be written; a store file that goes back in time would not be noticed at"
                        + " the next start", mark.file());
            }
        } catch (RuntimeException e) {
            discardUncommitted();
            throw e;
        } finally {
            commitLock.writeLock().unlock();
        }
    }

    /**
     * Forces earlier chunks to disk when the last fsync is older than {@link #SYNC_INTERVAL_NANOS}, before this
     * commit can reuse the space of a dead chunk: see the class comment.
     */
    private void syncIfDue() {
        long now = System.nanoTime();
        if (now - lastSync > SYNC_INTERVAL_NANOS) {
            mvStore.sync();
            lastSync = now;
        }
    }

    private void discardUncommitted() {
        try {
            mvStore.rollback();
        } catch (RuntimeException e) {
            LOG.error("Store file {} could not discard a failed write; the store is unusable until restart", file, e);
        }
    }

    private void notifyListeners(List<Event> events) {
        for (Event event : events) {
            for (StoreListener listener : listeners) {
                try {
                    listener.onEvent(event.type(), event.object());
                } catch (RuntimeException e) {
                    LOG.error("Store listener {} failed on {} of {}", listener, event.type(),
                            ApiObjects.key(event.object()), e);
                }
            }
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

    /** Closes the file (every write was committed already); later calls do nothing. */
    /**
     * A map of its own in the same file, for best-effort data (events): its writes take no commit of their own and
     * become durable with the next commit of the store (any object write, {@link #commitPending}, or close).
     */
    public MVMap<String, String> sideMap(String name) {
        if (name.equals(OBJECTS_MAP) || name.equals(META_MAP)) {
            throw new IllegalArgumentException("map " + name + " belongs to the object store");
        }
        return openStringMap(mvStore, name);
    }

    /** Commits what the side maps hold (callers bound how often: each commit appends a chunk to the file). */
    public void commitPending() {
        writeLock.lock();
        try {
            if (mvStore.isClosed()) {
                return;
            }
            syncIfDue();
            commitLock.writeLock().lock();
            try {
                mvStore.commit();
            } finally {
                commitLock.writeLock().unlock();
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (!mvStore.isClosed()) {
                mvStore.close();
            }
            if (mark != null) {
                mark.close();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T read(Supplier<T> reader) {
        commitLock.readLock().lock();
        try {
            return reader.get();
        } finally {
            commitLock.readLock().unlock();
        }
    }

    private static String storageKey(ObjectKey key) {
        return key.kind().kindName() + SEPARATOR + key.namespace() + SEPARATOR + key.name();
    }

    private record Event(EventType type, ObjectNode object) {
    }

    /** The staged effect of a batch: validated against the stored state plus the batch's own earlier writes. */
    private final class Batch {
        /** storage key → new JSON, or null for a delete; insertion order is operation order. */
        private final Map<String, String> writes = new LinkedHashMap<>();
        private final Map<String, ObjectNode> staged = new HashMap<>();
        private final List<ObjectNode> results = new ArrayList<>();
        private final List<Event> events = new ArrayList<>();
        private long resourceVersion;

        Batch(long resourceVersion) {
            this.resourceVersion = resourceVersion;
        }

        void stage(StoreOp op) {
            if (op instanceof StoreOp.Create create) {
                stageCreate(create.object());
            } else if (op instanceof StoreOp.Update update) {
                stageUpdate(update.object());
            } else if (op instanceof StoreOp.UpdateStatus updateStatus) {
                stageUpdateStatus(updateStatus.object());
            } else {
                StoreOp.Delete delete = (StoreOp.Delete) op;
                stageDelete(delete.key(), delete.expectedResourceVersion());
            }
        }

        private void stageCreate(ObjectNode incoming) {
            ObjectKey key = ApiObjects.key(incoming);
            if (current(key).isPresent()) {
                throw new StoreException.AlreadyExists(key);
            }
            ObjectNode object = incoming.deepCopy();
            if (!object.path("apiVersion").isTextual()) {
                object.put("apiVersion", key.kind().apiVersion());
            }
            ObjectNode metadata = ApiObjects.metadata(object);
            metadata.put("uid", UUID.randomUUID().toString());
            metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            metadata.put("generation", 1L);
            write(key, object, EventType.ADDED);
        }

        private void stageUpdate(ObjectNode incoming) {
            ObjectKey key = ApiObjects.key(incoming);
            ObjectNode stored = expect(key, ApiObjects.resourceVersion(incoming).orElse(null));
            ObjectNode object = incoming.deepCopy();
            ObjectNode metadata = ApiObjects.metadata(object);
            JsonNode storedMetadata = stored.path("metadata");
            metadata.set("uid", storedMetadata.path("uid").deepCopy());
            metadata.set("creationTimestamp", storedMetadata.path("creationTimestamp").deepCopy());
            long generation = ApiObjects.generation(stored);
            metadata.put("generation", specOf(object).equals(specOf(stored)) ? generation : generation + 1);
            if (stored.has("status")) {
                object.set("status", stored.get("status").deepCopy());
            } else {
                object.remove("status");
            }
            write(key, object, EventType.MODIFIED);
        }

        private void stageUpdateStatus(ObjectNode incoming) {
            ObjectKey key = ApiObjects.key(incoming);
            ObjectNode object = expect(key, ApiObjects.resourceVersion(incoming).orElse(null)).deepCopy();
            JsonNode status = incoming.get("status");
            if (status == null) {
                object.remove("status");
            } else {
                object.set("status", status.deepCopy());
            }
            write(key, object, EventType.MODIFIED);
        }

        private void stageDelete(ObjectKey key, String expectedResourceVersion) {
            ObjectNode object = expect(key, expectedResourceVersion).deepCopy();
            String storageKey = storageKey(key);
            staged.put(storageKey, null);
            writes.put(storageKey, null);
            ApiObjects.metadata(object).put("resourceVersion", Long.toString(++resourceVersion));
            record(object, EventType.DELETED);
        }

        /** The current object at {@code key}, which must exist and, when given, have that resourceVersion. */
        private ObjectNode expect(ObjectKey key, String expectedResourceVersion) {
            ObjectNode stored = current(key).orElseThrow(() -> new StoreException.NotFound(key));
            if (expectedResourceVersion != null && !expectedResourceVersion.isEmpty()) {
                String actual = ApiObjects.resourceVersion(stored).orElse("");
                if (!expectedResourceVersion.equals(actual)) {
                    throw new StoreException.Conflict(key, expectedResourceVersion, actual);
                }
            }
            return stored;
        }

        private Optional<ObjectNode> current(ObjectKey key) {
            String storageKey = storageKey(key);
            if (staged.containsKey(storageKey)) {
                return Optional.ofNullable(staged.get(storageKey));
            }
            // writers are serialized by writeLock, so the committed state cannot change under us
            return Optional.ofNullable(objects.get(storageKey)).map(ApiObjects::parse);
        }

        private void write(ObjectKey key, ObjectNode object, EventType type) {
            ApiObjects.metadata(object).put("resourceVersion", Long.toString(++resourceVersion));
            String storageKey = storageKey(key);
            String json = ApiObjects.toJson(object);
            // re-read so that the result equals what get() will return (Jackson tells a long 1 from an int 1)
            ObjectNode stored = ApiObjects.parse(json);
            staged.put(storageKey, stored);
            writes.put(storageKey, json);
            record(stored, type);
        }

        private void record(ObjectNode object, EventType type) {
            results.add(object);
            events.add(new Event(type, object.deepCopy()));
        }

        private static JsonNode specOf(ObjectNode object) {
            JsonNode spec = object.get("spec");
            return spec == null ? MissingNode.getInstance() : spec;
        }
    }
}

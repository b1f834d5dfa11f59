package io.flotilla.manager.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;

import java.util.List;
import java.util.Optional;

/**
 * Durable object store with Kubernetes semantics: every object is a JSON document
 * {@code {apiVersion, kind, metadata, spec, status}}; writes are optimistic on
 * {@code metadata.resourceVersion}. Implementations are thread-safe and blocking: call them from
 * a worker pool, never from an event loop. A method that returns has made its write durable
 * (it survives {@code kill -9} of the process).
 */
public interface Store extends AutoCloseable {

    Optional<ObjectNode> get(ObjectKey key);

    /** Objects of a kind, sorted by namespace then name; {@code namespace == null} lists all namespaces. */
    List<ObjectNode> list(Kind kind, String namespace);

    /**
     * Stores a new object. Sets {@code metadata.uid}, {@code creationTimestamp},
     * {@code resourceVersion} and {@code generation = 1}; any incoming resourceVersion is ignored.
     *
     * @throws StoreException.AlreadyExists when the key is taken
     */
    default ObjectNode create(ObjectNode object) {
        return apply(List.of(StoreOp.create(object))).get(0);
    }

    /**
     * Replaces metadata (labels, annotations) and spec; the stored status is kept.
     * A non-empty incoming {@code metadata.resourceVersion} must equal the stored one.
     * {@code generation} is incremented when spec changed.
     *
     * @throws StoreException.NotFound when absent
     * @throws StoreException.Conflict on a stale resourceVersion
     */
    default ObjectNode update(ObjectNode object) {
        return apply(List.of(StoreOp.update(object))).get(0);
    }

    /** Replaces only {@code status}; same resourceVersion rule as {@link #update}. */
    default ObjectNode updateStatus(ObjectNode object) {
        return apply(List.of(StoreOp.updateStatus(object))).get(0);
    }

    /**
     * Deletes the object; when {@code expectedResourceVersion} is non-null it must match.
     *
     * @return the deleted object, or empty when there was none
     */
    Optional<ObjectNode> delete(ObjectKey key, String expectedResourceVersion);

    /**
     * Applies {@code ops} in order as one atomic, durable write: either every operation takes effect (one
     * commit) or none does. Each operation has the semantics of its single-object method and sees the effect of
     * the earlier operations of the batch (create then update of one key works). Unlike {@link #delete}, a
     * {@link StoreOp.Delete} of an absent object fails the batch with {@link StoreException.NotFound}.
     * Each operation gets its own resourceVersion, in list order; listeners are told of every operation, in
     * list order, after the commit.
     *
     * @return per operation, the stored object (for a delete, the deleted object)
     * @throws StoreException            the first refused operation; nothing was written
     * @throws IllegalArgumentException the first malformed object; nothing was written
     */
    List<ObjectNode> apply(List<StoreOp> ops);

    /** Registers a listener called after every durable write, on the writing thread, in commit order. */
    void addListener(StoreListener listener);

    /** Stops calling {@code listener}; a controller that stops (its verticle undeployed) hears nothing more. */
    void removeListener(StoreListener listener);

    @Override
    void close();
}

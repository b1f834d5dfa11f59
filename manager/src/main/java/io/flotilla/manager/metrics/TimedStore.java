package io.flotilla.manager.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreListener;
import io.flotilla.manager.store.StoreOp;

import java.util.List;
import java.util.Optional;

/** A {@link Store} that times its writes into {@code flotilla_store_write_duration_seconds}; reads pass through. */
public final class TimedStore implements Store {
    private final Store store;
    private final ManagerMetrics metrics;

    public TimedStore(Store store, ManagerMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public Optional<ObjectNode> get(ObjectKey key) {
        return store.get(key);
    }

    @Override
    public List<ObjectNode> list(Kind kind, String namespace) {
        return store.list(kind, namespace);
    }

    @Override
    public Optional<ObjectNode> delete(ObjectKey key, String expectedResourceVersion) {
        long start = System.nanoTime();
        try {
            return store.delete(key, expectedResourceVersion);
        } finally {
            metrics.storeWrite(true, System.nanoTime() - start);
        }
    }

    @Override
    public List<ObjectNode> apply(List<StoreOp> ops) {
        long start = System.nanoTime();
        try {
            return store.apply(ops);
        } finally {
            metrics.storeWrite(false, System.nanoTime() - start);
        }
    }

    @Override
    public void addListener(StoreListener listener) {
        store.addListener(listener);
    }

    @Override
    public void removeListener(StoreListener listener) {
        store.removeListener(listener);
    }

    @Override
    public void close() {
        store.close();
    }
}

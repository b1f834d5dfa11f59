package io.flotilla.manager.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.ObjectKey;

import java.util.Optional;
import java.util.function.Consumer;

/** Read-modify-write of an object's status with optimistic-concurrency retries. Blocking. */
public final class StatusWriter {
    private static final int ATTEMPTS = 8;
    private final Store store;

    public StatusWriter(Store store) {
        this.store = store;
    }

    /**
     * Applies {@code change} to the current status of {@code key} and stores it, retrying on a
     * concurrent write. Returns the stored object, or empty when the object does not exist.
     */
    public Optional<ObjectNode> patch(ObjectKey key, Consumer<ObjectNode> change) {
        for (int attempt = 1; ; attempt++) {
            Optional<ObjectNode> current = store.get(key);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            ObjectNode object = current.get();
            change.accept(Json.status(object));
            try {
                return Optional.of(store.updateStatus(object));
            } catch (StoreException.Conflict e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            } catch (StoreException.NotFound e) {
                return Optional.empty();
            }
        }
    }

    /**
     * As {@link #patch}, but stores nothing when the change leaves the status as it was apart from
     * {@code lastUpdateTime} stamps: a repeated failure must not cost a write per attempt.
     */
    public Optional<ObjectNode> patchIfChanged(ObjectKey key, Consumer<ObjectNode> change) {
        Optional<ObjectNode> current = store.get(key);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode before = Json.status(current.get()).deepCopy();
        ObjectNode after = before.deepCopy();
        change.accept(after);
        if (withoutUpdateStamps(before).equals(withoutUpdateStamps(after))) {
            return current;
        }
        return patch(key, change);
    }

    private static ObjectNode withoutUpdateStamps(ObjectNode status) {
        ObjectNode copy = status.deepCopy();
        if (copy.get("conditions") instanceof com.fasterxml.jackson.databind.node.ArrayNode conditions) {
            conditions.forEach(c -> {
                if (c instanceof ObjectNode o) {
                    o.remove("lastUpdateTime");
                }
            });
        }
        return copy;
    }
}

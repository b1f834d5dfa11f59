package io.flotilla.manager.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.ObjectKey;

import java.util.Optional;
import java.util.function.BiPredicate;
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
        return patchObjectIfChanged(key, object -> change.accept(Json.status(object)), (before, after) -> true);
    }

    /** Like {@link #patch}, for a change that reads the rest of the object; only its status is stored. */
    public Optional<ObjectNode> patchObject(ObjectKey key, Consumer<ObjectNode> change) {
        return patchObjectIfChanged(key, change, (before, after) -> true);
    }

    /**
     * Like {@link #patchObject}, but writes only when {@code worthWriting(statusBefore, statusAfter)} says so;
     * returns empty when nothing was written (no object, or no change worth a write).
     */
    public Optional<ObjectNode> patchObjectIfChanged(ObjectKey key, Consumer<ObjectNode> change,
                                                     BiPredicate<ObjectNode, ObjectNode> worthWriting) {
        for (int attempt = 1; ; attempt++) {
            Optional<ObjectNode> current = store.get(key);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            ObjectNode object = current.get();
            ObjectNode before = Json.status(object).deepCopy();
            change.accept(object);
            if (!worthWriting.test(before, Json.status(object))) {
                return Optional.empty();
            }
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

package io.flotilla.manager.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ObjectKey;

import java.util.Objects;

/** One write of a {@link Store#apply batch}; each has the semantics of the single-object method of the same name. */
public sealed interface StoreOp {

    static StoreOp create(ObjectNode object) {
        return new Create(object);
    }

    static StoreOp update(ObjectNode object) {
        return new Update(object);
    }

    static StoreOp updateStatus(ObjectNode object) {
        return new UpdateStatus(object);
    }

    /** {@code expectedResourceVersion} may be null: delete whatever version is stored. */
    static StoreOp delete(ObjectKey key, String expectedResourceVersion) {
        return new Delete(key, expectedResourceVersion);
    }

    record Create(ObjectNode object) implements StoreOp {
        public Create {
            Objects.requireNonNull(object, "object");
        }
    }

    record Update(ObjectNode object) implements StoreOp {
        public Update {
            Objects.requireNonNull(object, "object");
        }
    }

    record UpdateStatus(ObjectNode object) implements StoreOp {
        public UpdateStatus {
            Objects.requireNonNull(object, "object");
        }
    }

    record Delete(ObjectKey key, String expectedResourceVersion) implements StoreOp {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }
}

package io.flotilla.manager.store;

import io.flotilla.manager.api.ObjectKey;

/** A refused store operation; subclasses map one-to-one to HTTP 404, 409 and 409. */
public abstract class StoreException extends RuntimeException {
    private final ObjectKey key;

    protected StoreException(ObjectKey key, String message) {
        super(message);
        this.key = key;
    }

    public ObjectKey key() {
        return key;
    }

    public static final class NotFound extends StoreException {
        public NotFound(ObjectKey key) {
            super(key, key.kind().plural() + " \"" + key.name() + "\" not found in namespace \"" + key.namespace() + "\"");
        }
    }

    public static final class AlreadyExists extends StoreException {
        public AlreadyExists(ObjectKey key) {
            super(key, key.kind().plural() + " \"" + key.name() + "\" already exists in namespace \"" + key.namespace() + "\"");
        }
    }

    public static final class Conflict extends StoreException {
        public Conflict(ObjectKey key, String expected, String actual) {
            super(key, "Operation cannot be fulfilled on " + key.kind().plural() + " \"" + key.name()
                    + "\": the object has been modified (resourceVersion " + expected + " is stale, current is "
                    + actual + "); please apply your changes to the latest version and try again");
        }
    }
}

package io.flotilla.manager.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Told of every committed write; must be quick and must not call back into the store's write methods. */
@FunctionalInterface
public interface StoreListener {
    enum EventType { ADDED, MODIFIED, DELETED }

    void onEvent(EventType type, ObjectNode object);
}

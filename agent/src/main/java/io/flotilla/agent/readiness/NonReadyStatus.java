package io.flotilla.agent.readiness;

import io.flotilla.agent.model.ObjectRef;

/** Fleet's NonReadyStatus: a live object of the BD that is not ready, with its summary. */
public record NonReadyStatus(String uid, ObjectRef ref, ObjectSummary summary) {

    public NonReadyStatus {
        uid = uid == null ? "" : uid;
    }

    /** The §7.4 string form, e.g. {@code deployment.apps default/web [progressing] Updated: 0/1}. */
    @Override
    public String toString() {
        return ref.id() + " " + summary.display();
    }
}

package io.flotilla.manager.agents;

import io.flotilla.manager.api.ObjectKey;
import io.flotilla.proto.v1.AgentMessage;
import io.flotilla.proto.v1.ManagerMessage;
import io.vertx.grpc.server.GrpcServerResponse;

/** One open agent stream. Used on its event loop only. */
public final class AgentSession {
    private final ObjectKey cluster;
    private final GrpcServerResponse<AgentMessage, ManagerMessage> response;
    private final long id;
    private volatile boolean closed;
    /** Bundle contents already sent on this stream: each goes once per content id per connection. */
    private final java.util.Set<String> contentSent = new java.util.HashSet<>();

    AgentSession(long id, ObjectKey cluster, GrpcServerResponse<AgentMessage, ManagerMessage> response) {
        this.id = id;
        this.cluster = cluster;
        this.response = response;
    }

    public ObjectKey cluster() {
        return cluster;
    }

    /** Per BD, the generation last sent as an upsert on this stream. */
    private final java.util.Map<String, Long> upsertSent = new java.util.HashMap<>();

    /**
     * True unless this generation of the BD was already sent on this stream (a BD created while the agent's hello
     * is being answered would otherwise go twice: with the catch-up and with its creation).
     */
    public boolean markUpsertSent(String bd, long generation) {
        Long previous = upsertSent.put(bd, generation);
        return previous == null || previous != generation;
    }

    /** The BD was deleted: a new one of the same name starts again at generation 1. */
    public void forgetUpsert(String bd) {
        upsertSent.remove(bd);
    }

    /** True the first time a content id is offered for this stream. */
    public boolean markContentSent(String contentId) {
        return contentSent.add(contentId);
    }

    long id() {
        return id;
    }

    public boolean isOpen() {
        return !closed;
    }

    public void send(ManagerMessage message) {
        if (!closed) {
            try {
                response.write(message);
            } catch (IllegalStateException streamGone) {
                // The agent cancelled and the close event has not arrived yet: it gets this on reconnect.
                closed = true;
            }
        }
    }

    /** Ends the stream from the manager's side (replaced by a newer stream, or the manager stops). */
    void close() {
        if (!closed) {
            closed = true;
            try {
                response.end();
            } catch (IllegalStateException alreadyEnded) {
                // the peer went away first: nothing left to close
            }
        }
    }

    void markClosed() {
        closed = true;
    }
}

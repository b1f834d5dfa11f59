package io.flotilla.manager.agents;

import io.flotilla.proto.v1.ContentRequest;
import io.flotilla.proto.v1.Hello;
import io.flotilla.proto.v1.StatusReport;

/** What the manager does with an agent's messages beyond liveness; called on the session's event loop. */
public interface AgentMessageHandler {
    /** Used until deployment delivery is plugged in: the stream carries liveness only. */
    AgentMessageHandler NONE = new AgentMessageHandler() {
    };

    default void onHello(AgentSession session, Hello hello) {
    }

    default void onReport(AgentSession session, StatusReport report) {
    }

    default void onContentRequest(AgentSession session, ContentRequest request) {
    }

    default void onDisconnect(AgentSession session) {
    }
}

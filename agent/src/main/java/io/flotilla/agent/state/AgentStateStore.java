package io.flotilla.agent.state;

import io.flotilla.agent.connection.AgentState;

import java.io.IOException;
import java.util.Optional;

/**
 * Where an agent keeps its registration (cluster identity and per-cluster credential) between restarts: a file in
 * the state directory, or a Secret in its own cluster when it runs in a pod. Calls block (file or API I/O).
 */
public interface AgentStateStore {

    /** The saved state, or empty when the agent has never registered here. */
    Optional<AgentState> load() throws IOException;

    /** Replaces the saved state. */
    void save(AgentState state) throws IOException;

    /** Where the state lives, for messages (never its content). */
    String describe();
}

package io.flotilla.agent.state;

import io.flotilla.agent.connection.AgentState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** {@code <stateDir>/credential.json}, readable by the owner only, replaced atomically ({@link AgentState}). */
public final class FileAgentStateStore implements AgentStateStore {
    private final Path stateDir;

    public FileAgentStateStore(Path stateDir) {
        this.stateDir = stateDir;
    }

    @Override
    public Optional<AgentState> load() throws IOException {
        return AgentState.load(stateDir);
    }

    @Override
    public void save(AgentState state) throws IOException {
        state.save(stateDir);
    }

    @Override
    public String describe() {
        return stateDir.toString();
    }
}

package io.flotilla.agent.connection;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * What an agent keeps between restarts: its cluster identity and credential, and the pin of the manager's CA (from
 * the registration token; null for a cleartext manager or one with a publicly trusted certificate), in
 * {@code <stateDir>/credential.json}, readable by the owner only, replaced atomically.
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record AgentState(String managerUrl, String clusterNamespace, String clusterName, String credential, String caPin) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String FILE = "credential.json";

    public static Optional<AgentState> load(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(file.toFile(), AgentState.class));
        } catch (IOException e) {
            throw new IOException("agent state " + file + " is unreadable (" + e.getMessage()
                    + "); delete it and start the agent with a registration token", e);
        }
    }

    public void save(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path tmp = stateDir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.write(tmp, MAPPER.writeValueAsBytes(this));
        try {
            Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Never print the credential. */
    @Override
    public String toString() {
        return "AgentState[cluster=" + clusterNamespace + "/" + clusterName + ", manager=" + managerUrl + "]";
    }
}

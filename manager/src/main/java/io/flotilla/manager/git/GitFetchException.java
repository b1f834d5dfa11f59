package io.flotilla.manager.git;

import java.util.Objects;

/**
 * A fetch that failed, with a message a user can act on. Messages never contain passwords, tokens or keys;
 * the caller may add the name of the credentials secret.
 */
public final class GitFetchException extends Exception {

    public enum Reason { AUTH_FAILED, UNKNOWN_BRANCH, UNKNOWN_REVISION, UNREACHABLE, INVALID_URL, OTHER }

    private final Reason reason;

    public GitFetchException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "GitFetchException[" + reason + "]: " + getMessage();
    }
}

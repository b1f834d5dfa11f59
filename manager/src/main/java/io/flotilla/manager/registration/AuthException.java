package io.flotilla.manager.registration;

/** A refused registration or connection; {@link #code} maps to the gRPC status the caller sees. */
public final class AuthException extends RuntimeException {
    public enum Code { UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, ALREADY_EXISTS }

    private final Code code;

    public AuthException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}

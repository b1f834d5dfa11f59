package io.flotilla.manager.api;

/**
 * A refused API request, rendered as a Kubernetes {@code Status} object. {@code field} names the
 * offending field path when there is one (e.g. {@code spec.targets[0].clusterSelector}).
 */
public final class ApiError extends RuntimeException {
    private final int code;
    private final String reason;
    private final String field;

    public ApiError(int code, String reason, String field, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.field = field;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", null, message);
    }

    public static ApiError invalid(String field, String message) {
        return new ApiError(422, "Invalid", field, field + ": " + message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "NotFound", null, message);
    }

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "MethodNotAllowed", null, message);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}

package io.flotilla.manager.git.webhook;

/** A webhook request that is refused; {@link #status()} is the HTTP status to answer with. */
public final class WebhookException extends Exception {
    private final int status;

    private WebhookException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** 401: the request cannot be verified (missing, malformed or wrong signature or token, no secret configured). */
    static WebhookException unauthorized(String message) {
        return new WebhookException(401, message);
    }

    /** 400: verified or unverifiable, the request is not a webhook we can read. */
    static WebhookException badRequest(String message) {
        return new WebhookException(400, message);
    }

    public int status() {
        return status;
    }
}

package io.flotilla.manager.store.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.store.StoreException;

/** The API server's refusals as the {@link io.flotilla.manager.store.Store}'s exceptions, with its message. */
final class KubeErrors {
    private KubeErrors() {
    }

    static RuntimeException translate(ObjectKey key, KubernetesClientException e) {
        String reason = e.getStatus() == null ? "" : String.valueOf(e.getStatus().getReason());
        return switch (e.getCode()) {
            case 404 -> key == null ? new IllegalStateException(describe(e), e)
                    : "NotFound".equals(reason) && e.getStatus() != null && e.getStatus().getDetails() != null
                    && "namespaces".equals(e.getStatus().getDetails().getKind())
                    ? new IllegalArgumentException(describe(e), e) : new StoreException.NotFound(key);
            case 409 -> key == null ? new IllegalStateException(describe(e), e)
                    : "AlreadyExists".equals(reason) ? new StoreException.AlreadyExists(key)
                    : new StoreException.Conflict(key, "given", "newer");
            case 400, 413, 422 -> new IllegalArgumentException(describe(e), e);
            default -> new IllegalStateException("Kubernetes API: " + describe(e), e);
        };
    }

    /** The server's own message (it names the field of a validation error), or the client's failure. */
    static String describe(KubernetesClientException e) {
        Status status = e.getStatus();
        if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
            return status.getMessage();
        }
        Throwable cause = e.getCause();
        return e.getCode() > 0 ? "HTTP " + e.getCode() + ": " + e.getMessage()
                : cause != null ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : e.getMessage();
    }
}

package io.flotilla.manager.registration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fleet's registration flow for tokens written to the store directly ({@code kubectl apply -f token.yaml} in
 * Kubernetes mode): issues the token and keeps its value in a Secret of the same name, and forgets both when the token
 * is deleted. Tokens created through the manager's API are issued there (their value is shown once) and are left
 * alone here. Work runs on a thread of its own, never on the store's listener thread; a failed issue is retried.
 */
public final class RegistrationTokenController implements StoreListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationTokenController.class);
    private static final int ATTEMPTS = 5;

    private final Store store;
    private final RegistrationService registration;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "flotilla-registration-tokens");
        t.setDaemon(true);
        return t;
    });

    public RegistrationTokenController(Store store, RegistrationService registration) {
        this.store = store;
        this.registration = registration;
    }

    /** Issues what tokens created while no controller ran are missing, then follows changes. */
    public void start() {
        store.addListener(this);
        thread.execute(() -> store.list(Kind.CLUSTER_REGISTRATION_TOKEN, null).forEach(t -> issue(Json.key(t), 1)));
    }

    @Override
    public void onEvent(EventType type, ObjectNode object) {
        if (Json.kind(object).orElse(null) != Kind.CLUSTER_REGISTRATION_TOKEN || thread.isShutdown()) {
            return;
        }
        ObjectKey key = Json.key(object);
        if (type == EventType.DELETED) {
            thread.execute(() -> {
                try {
                    registration.forgetToken(key.namespace(), key.name());
                } catch (RuntimeException e) {
                    LOG.warn("ClusterRegistrationToken {}/{} deleted; its Secrets could not be removed: {}", key.namespace(),
                            key.name(), e.getMessage());
                }
            });
        } else if (Json.text(object.path("status"), "expiresAt") == null) {
            thread.execute(() -> issue(key, 1));
        }
    }

    private void issue(ObjectKey key, int attempt) {
        try {
            // read again: the event may be older than what is stored now
            store.get(key).ifPresent(registration::issueIntoSecret);
        } catch (RuntimeException e) {
            if (attempt >= ATTEMPTS) {
                LOG.error("ClusterRegistrationToken {}/{}: no token issued after {} attempts: {}", key.namespace(), key.name(),
                        attempt, e.getMessage());
                return;
            }
            LOG.warn("ClusterRegistrationToken {}/{}: issuing failed ({}); trying again", key.namespace(), key.name(),
                    e.getMessage());
            thread.schedule(() -> issue(key, attempt + 1), attempt, TimeUnit.SECONDS);
        }
    }

    /** Stops following changes; a token issued meanwhile is finished first. */
    @Override
    public void close() throws InterruptedException {
        store.removeListener(this);
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}

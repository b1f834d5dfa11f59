package io.flotilla.manager.store.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flotilla.manager.events.Event;
import io.flotilla.manager.events.EventJson;
import io.flotilla.manager.events.EventStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Events of Kubernetes mode: native {@code core/v1} Events in the involved object's namespace, labelled
 * {@code app.kubernetes.io/managed-by=flotilla}, so {@code kubectl get events} and {@code kubectl describe} show them
 * too. A repeat is a JSON merge patch of {@code count}, {@code message} and {@code lastTimestamp}, as kubectl's
 * recorder does. The API server also drops events after its own TTL ({@code --event-ttl}, 1 h by default).
 */
public final class KubeEventStore implements EventStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final KubernetesClient client;

    public KubeEventStore(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void upsert(Event event) {
        var events = client.v1().events().inNamespace(event.namespace());
        if (event.count() > 1) {
            ObjectNode patch = MAPPER.createObjectNode();
            patch.put("count", event.count());
            patch.put("message", event.message());
            patch.put("lastTimestamp", event.lastTimestamp().toString());
            try {
                events.withName(event.name()).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw new IllegalStateException("event " + event.namespace() + "/" + event.name() + ": "
                            + KubeErrors.describe(e), e);
                }
                // expired by the API server's TTL meanwhile: created again below, with its count
            }
        }
        try {
            events.resource(fabric8(event)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                events.resource(fabric8(event)).update();
                return;
            }
            throw new IllegalStateException("event " + event.namespace() + "/" + event.name() + ": "
                    + KubeErrors.describe(e), e);
        }
    }

    @Override
    public void delete(Event event) {
        client.v1().events().inNamespace(event.namespace()).withName(event.name()).delete();
    }

    @Override
    public List<Event> list(String namespace) {
        var events = namespace == null ? client.v1().events().inAnyNamespace()
                .withLabel(EventJson.MANAGED_BY_LABEL, EventJson.MANAGED_BY).list()
                : client.v1().events().inNamespace(namespace)
                .withLabel(EventJson.MANAGED_BY_LABEL, EventJson.MANAGED_BY).list();
        List<Event> out = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Event e : events.getItems()) {
            try {
                out.add(EventJson.fromJson(MAPPER.readTree(client.getKubernetesSerialization().asJson(e))));
            } catch (IOException | RuntimeException unreadable) {
                // informational: an event someone else edited into an unreadable shape is left out
            }
        }
        return out;
    }

    private io.fabric8.kubernetes.api.model.Event fabric8(Event event) {
        try {
            return client.getKubernetesSerialization().unmarshal(MAPPER.writeValueAsString(EventJson.toJson(event)),
                    io.fabric8.kubernetes.api.model.Event.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

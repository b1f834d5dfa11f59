package io.flotilla.manager.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiError;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.events.Event;
import io.flotilla.manager.events.EventFieldSelector;
import io.flotilla.manager.events.EventJson;
import io.flotilla.manager.events.EventStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /api/v1/namespaces/{ns}/events} and {@code GET /api/v1/events}: the manager's events as a Kubernetes
 * {@code EventList}, oldest first, with {@code ?fieldSelector=involvedObject.kind=GitRepo,involvedObject.name=apps}.
 * Read-only: events are written by the manager.
 */
public final class EventsApi {
    private final EventStore events;
    private final Blocking blocking;

    public EventsApi(EventStore events, Blocking blocking) {
        this.events = events;
        this.blocking = blocking;
    }

    public void routes(Router router) {
        router.get("/api/v1/events").handler(ctx -> list(ctx, null));
        router.get("/api/v1/namespaces/:ns/events").handler(ctx -> list(ctx, ctx.pathParam("ns")));
        router.route("/api/v1/events").handler(EventsApi::readOnly);
        router.route("/api/v1/namespaces/:ns/events").handler(EventsApi::readOnly);
        router.route("/api/v1/namespaces/:ns/events/*").handler(ctx -> RestApi.fail(ctx,
                ApiError.notFound("single events are not served; list them with a fieldSelector")));
    }

    private static void readOnly(RoutingContext ctx) {
        ctx.response().putHeader("allow", "GET");
        RestApi.fail(ctx, ApiError.methodNotAllowed("events are written by the manager and are read-only in the API"));
    }

    private void list(RoutingContext ctx, String namespace) {
        EventFieldSelector selector;
        try {
            selector = EventFieldSelector.parse(ctx.request().getParam("fieldSelector"));
        } catch (IllegalArgumentException e) {
            RestApi.fail(ctx, ApiError.badRequest("fieldSelector: " + e.getMessage()));
            return;
        }
        blocking.run(() -> {
            List<Event> found = events.list(namespace).stream().filter(selector::matches)
                    .sorted(Comparator.comparing(Event::lastTimestamp).thenComparing(Event::name)).toList();
            ObjectNode list = Json.object();
            list.put("apiVersion", "v1");
            list.put("kind", "EventList");
            ArrayNode items = list.putArray("items");
            found.forEach(e -> items.add(EventJson.toJson(e)));
            return list.toString();
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().putHeader("content-type", "application/json").end(ar.result());
            } else {
                RestApi.fail(ctx, new ApiError(503, "ServiceUnavailable", null,
                        "events could not be read: " + ar.cause().getMessage()));
            }
        });
    }
}

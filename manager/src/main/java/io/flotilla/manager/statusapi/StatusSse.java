package io.flotilla.manager.statusapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.status.StatusKey;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.EnumSet;
import java.util.Set;

/**
 * {@code GET /status/watch?kind=GitRepo&namespace=ns&name=n&since=version}: the same watch as gRPC
 * {@code StatusService.Watch}, as Server-Sent Events ({@code event: status} per change, {@code event: snapshot-end}).
 */
public final class StatusSse {
    private final StatusHub hub;

    public StatusSse(StatusHub hub) {
        this.hub = hub;
    }

    public void handle(RoutingContext ctx) {
        Set<StatusKey.Kind> kinds = EnumSet.noneOf(StatusKey.Kind.class);
        try {
            ctx.queryParam("kind").forEach(k -> kinds.add(StatusGrpcService.kind(k)));
        } catch (IllegalArgumentException bad) {
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end(Json.object().put("kind", "Status").put("status", "Failure").put("code", 400)
                            .put("reason", "BadRequest").put("message", bad.getMessage()).toString());
            return;
        }
        long since;
        try {
            since = Long.parseLong(ctx.queryParams().get("since") == null ? "0" : ctx.queryParams().get("since"));
        } catch (NumberFormatException bad) {
            since = -1;
        }
        if (since < 0) {
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end(Json.object().put("kind", "Status").put("status", "Failure").put("code", 400)
                            .put("reason", "BadRequest").put("message", "since must be a version number (0 or more), got \""
                                    + ctx.queryParams().get("since") + "\"").toString());
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        StatusWatch watch = new StatusWatch(ctx.vertx().getOrCreateContext(),
                new StatusHub.Filter(kinds, ctx.queryParams().get("namespace"), ctx.queryParams().get("name")),
                e -> response.write(event("status", e.version(), body(e))),
                () -> !response.writeQueueFull(),
                () -> response.write(event("snapshot-end", hub.version(), "{\"version\":" + hub.version() + "}")));
        response.drainHandler(v -> watch.drain());
        response.closeHandler(v -> watch.close());
        response.exceptionHandler(e -> watch.close());
        watch.start(hub, since);
    }

    private static String body(StatusHub.Entry e) {
        ObjectNode o = Json.object();
        o.put("kind", StatusGrpcService.kindName(e.key().kind()));
        o.put("namespace", e.key().namespace());
        o.put("name", e.key().name());
        o.put("version", e.version());
        if (e.deleted()) {
            o.put("deleted", true); // the object went away: consumers drop it
        }
        try {
            o.set("status", Json.MAPPER.readTree(e.json()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            o.put("status", e.json());
        }
        return o.toString();
    }

    private static String event(String name, long id, String data) {
        return "event: " + name + "\nid: " + id + "\ndata: " + data + "\n\n";
    }
}

package io.flotilla.manager.rest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiError;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.api.Validation;
import io.flotilla.manager.api.ValuesRedaction;
import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.registration.RegistrationService;
import io.flotilla.manager.security.policy.CredentialSecrets;
import io.flotilla.manager.store.Store;
import io.flotilla.manager.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The REST API, shaped like the Kubernetes API:
 * {@code /apis/flotilla.io/v1alpha1/namespaces/{ns}/{plural}[/{name}[/status]]} (and
 * {@code /api/v1/namespaces/{ns}/secrets} for credentials). Objects are JSON or YAML in, JSON out;
 * errors are Kubernetes {@code Status} objects. Store access runs on the worker pool.
 */
public final class RestApi {
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final String GROUP_PREFIX = "/apis/" + Kind.API_VERSION;

    private final Store store;
    private final Blocking blocking;
    private final RegistrationService registration;
    private final BooleanSupplier ready;
    private final Handler<RoutingContext> access;

    /** @param access authenticates and authorises every request but the health checks (see {@code AccessHandler}) */
    public RestApi(Store store, Blocking blocking, RegistrationService registration, BooleanSupplier ready,
                   Handler<RoutingContext> access) {
        this.store = store;
        this.blocking = blocking;
        this.registration = registration;
        this.ready = ready;
        this.access = access;
    }

    public Router router(Vertx vertx, java.util.function.Consumer<Router> extraRoutes) {
        Router router = Router.router(vertx);
        router.get("/healthz").handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("ok"));
        router.get("/readyz").handler(ctx -> {
            boolean ok = ready.getAsBoolean();
            ctx.response().setStatusCode(ok ? 200 : 503).putHeader("content-type", "text/plain").end(ok ? "ok" : "not ready");
        });
        router.route().handler(access);
        router.route().handler(RestApi::refuseUnsupportedBody);
        router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false));
        extraRoutes.accept(router);
        for (String prefix : List.of(GROUP_PREFIX, "/api/v1")) {
            router.get(prefix + "/:plural").handler(ctx -> list(ctx, null));
            router.get(prefix + "/namespaces/:ns/:plural").handler(ctx -> list(ctx, ctx.pathParam("ns")));
            router.post(prefix + "/namespaces/:ns/:plural").handler(this::create);
            router.get(prefix + "/namespaces/:ns/:plural/:name").handler(this::get);
            router.put(prefix + "/namespaces/:ns/:plural/:name").handler(this::replace);
            router.delete(prefix + "/namespaces/:ns/:plural/:name").handler(this::delete);
            router.get(prefix + "/namespaces/:ns/:plural/:name/status").handler(this::get);
            router.route(prefix + "/namespaces/:ns/:plural/:name/status").handler(ctx -> fail(ctx,
                    ApiError.methodNotAllowed("status is written by the manager; change spec instead")));
            router.route(prefix + "/namespaces/:ns/:plural/:name").handler(ctx -> methodNotAllowed(ctx, "GET, PUT, DELETE"));
            router.route(prefix + "/namespaces/:ns/:plural").handler(ctx -> methodNotAllowed(ctx, "GET, POST"));
            router.route(prefix + "/:plural").handler(ctx -> methodNotAllowed(ctx, "GET"));
        }
        router.route().last().handler(ctx -> fail(ctx, ApiError.notFound("no such path: " + ctx.request().path())));
        router.route().failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                fail(ctx, new ApiError(413, "RequestEntityTooLarge", null,
                        "request body exceeds the limit of " + MAX_BODY_BYTES + " bytes"));
            } else if (ctx.statusCode() == 400 || ctx.statusCode() == 415 || ctx.failure() != null
                    && ctx.failure().getClass().getName().contains("Decoder")) {
                fail(ctx, new ApiError(ctx.statusCode() == 415 ? 415 : 400, ctx.statusCode() == 415 ? "UnsupportedMediaType"
                        : "BadRequest", null, "request body cannot be decoded as its content-type says"));
            } else {
                LOG.error("Unexpected error serving {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
                fail(ctx, new ApiError(500, "InternalError", null, "internal error; see the manager log"));
            }
        });
        return router;
    }

    private static void methodNotAllowed(RoutingContext ctx, String allowed) {
        if (Kind.byPlural(ctx.pathParam("plural")).isEmpty()) {
            ctx.next(); // an unknown resource type stays a 404
            return;
        }
        ctx.response().putHeader("allow", allowed);
        fail(ctx, ApiError.methodNotAllowed(ctx.request().method() + " is not supported here; allowed: " + allowed));
    }

    /** Bodies are JSON or YAML: anything else (forms, multipart) is refused before it is parsed. */
    private static void refuseUnsupportedBody(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        HttpMethod m = ctx.request().method();
        boolean hasBody = m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH;
        if (!hasBody || type == null || ctx.request().path().equals("/webhooks/git") || type.isBlank()) {
            ctx.next();
            return;
        }
        String t = type.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("application/json") || t.contains("yaml") || t.startsWith("text/plain")
                || t.startsWith("application/merge-patch+json") || t.startsWith("application/json-patch+json")) {
            ctx.next();
            return;
        }
        fail(ctx, new ApiError(415, "UnsupportedMediaType", null, "content-type \"" + type
                + "\" is not supported: send application/json or application/yaml"));
    }

    private Kind kind(RoutingContext ctx, boolean write) {
        String plural = ctx.pathParam("plural");
        boolean core = ctx.request().path().startsWith("/api/v1");
        Kind kind = Kind.byPlural(plural).filter(k -> core == (k == Kind.SECRET))
                .orElseThrow(() -> ApiError.notFound("the server could not find the requested resource type \"" + plural
                        + "\" (known: gitrepos, bundles, bundledeployments, clusters, clustergroups, clusterregistrationtokens, gitreporestrictions)"));
        if (write && !kind.userWritable()) {
            throw ApiError.methodNotAllowed(kind.plural() + " are written by the manager and are read-only in the API");
        }
        return kind;
    }

    private void list(RoutingContext ctx, String ns) {
        handle(ctx, () -> {
            Kind kind = kind(ctx, false);
            String selectorText = ctx.request().getParam("labelSelector");
            io.flotilla.manager.targeting.LabelSelector selector;
            try {
                selector = selectorText == null ? null : io.flotilla.manager.targeting.LabelSelector.parse(selectorText);
            } catch (io.flotilla.manager.targeting.InvalidSelectorException e) {
                throw ApiError.badRequest("labelSelector: " + e.getMessage());
            }
            return blocking.run(() -> {
                ObjectNode list = Json.object();
                list.put("apiVersion", kind.apiVersion());
                list.put("kind", kind.kindName() + "List");
                ArrayNode items = list.putArray("items");
                store.list(kind, ns).stream().filter(o -> !credentialMaterial(o))
                        .filter(o -> selector == null || selector.matches(Json.labels(o)))
                        .forEach(o -> items.add(redact(o)));
                return new Reply(200, list);
            });
        });
    }

    private void get(RoutingContext ctx) {
        handle(ctx, () -> {
            ObjectKey key = key(ctx, false);
            return blocking.run(() -> new Reply(200, redact(store.get(key).orElseThrow(() -> new StoreException.NotFound(key)))));
        });
    }

    private void create(RoutingContext ctx) {
        handle(ctx, () -> {
            Kind kind = kind(ctx, true);
            String ns = ctx.pathParam("ns");
            ObjectNode body = body(ctx);
            Validation.validate(body, kind, ns, null);
            if (kind == Kind.SECRET) {
                refuseCredentialMaterial(ns, Json.name(body));
            }
            normalise(body, kind, ns);
            return blocking.run(() -> {
                if (kind == Kind.CLUSTER_REGISTRATION_TOKEN) {
                    RegistrationService.IssuedToken issued = registration.issueToken(body);
                    ObjectNode shown = issued.object().deepCopy();
                    // The only place the token value ever appears: the answer to its creation.
                    Json.status(shown).put("token", issued.token());
                    return new Reply(201, shown);
                }
                ObjectNode created = store.create(body);
                LOG.info("{} created through the API", Json.key(created));
                return new Reply(201, redact(created));
            });
        });
    }

    private void replace(RoutingContext ctx) {
        handle(ctx, () -> {
            ObjectKey key = key(ctx, true);
            ObjectNode body = body(ctx);
            Validation.validate(body, key.kind(), key.namespace(), key.name());
            if (key.kind() == Kind.CLUSTER_REGISTRATION_TOKEN) {
                throw ApiError.methodNotAllowed("registration tokens cannot be changed; delete it and create a new one");
            }
            normalise(body, key.kind(), key.namespace());
            return blocking.run(() -> {
                ObjectNode updated = store.update(body);
                LOG.info("{} updated through the API (resourceVersion {})", key, Json.resourceVersion(updated));
                return new Reply(200, redact(updated));
            });
        });
    }

    private void delete(RoutingContext ctx) {
        handle(ctx, () -> {
            ObjectKey key = key(ctx, true);
            String rv = ctx.request().getParam("resourceVersion");
            return blocking.run(() -> {
                ObjectNode deleted = store.delete(key, rv).orElseThrow(() -> new StoreException.NotFound(key));
                if (key.kind() == Kind.CLUSTER_REGISTRATION_TOKEN) {
                    registration.forgetToken(key.namespace(), key.name());
                }
                LOG.info("{} deleted through the API", key);
                return new Reply(200, redact(deleted));
            });
        });
    }

    private ObjectKey key(RoutingContext ctx, boolean write) {
        ObjectKey key = new ObjectKey(kind(ctx, write), ctx.pathParam("ns"), ctx.pathParam("name"));
        if (key.kind() == Kind.SECRET) {
            refuseCredentialMaterial(key.namespace(), key.name());
        }
        return key;
    }

    /** The manager's own credential hashes are neither served nor writable, whoever asks (forged credentials). */
    private static void refuseCredentialMaterial(String namespace, String name) {
        if (CredentialSecrets.isReserved(namespace, name)) {
            throw new ApiError(403, "Forbidden", "metadata.name", "secret " + namespace + "/" + name
                    + " is reserved for the manager's own credential material (names flotilla-agent-*, flotilla-token-*, "
                    + "namespace " + CredentialSecrets.SYSTEM_NAMESPACE + ") and is not available through the API");
        }
    }

    private static boolean credentialMaterial(ObjectNode object) {
        return Kind.SECRET.kindName().equals(Json.text(object, "kind"))
                && CredentialSecrets.isReserved(Json.namespace(object), Json.name(object));
    }

    private static void normalise(ObjectNode body, Kind kind, String ns) {
        body.put("apiVersion", kind.apiVersion());
        body.put("kind", kind.kindName());
        Json.metadata(body).put("namespace", ns);
        body.remove("status");
    }

    private static ObjectNode body(RoutingContext ctx) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            throw ApiError.badRequest("request body is empty: send the object as JSON or YAML");
        }
        String type = ctx.request().getHeader("content-type");
        boolean yaml = type != null && type.contains("yaml");
        JsonNode node;
        try {
            com.fasterxml.jackson.databind.ObjectMapper mapper = yaml ? Json.YAML : Json.MAPPER;
            // duplicate keys would silently keep the last value; more YAML documents would silently be dropped
            try (com.fasterxml.jackson.core.JsonParser parser = mapper.createParser(text)) {
                parser.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
                node = mapper.readTree(parser);
                com.fasterxml.jackson.core.JsonToken next = parser.nextToken();
                if (next != null && !(yaml && next == com.fasterxml.jackson.core.JsonToken.VALUE_NULL && parser.nextToken() == null)) {
                    throw ApiError.badRequest(yaml ? "request body holds more than one YAML document: send one object per "
                            + "request (bin/flotilla apply -f splits multi-document files)"
                            : "request body holds more than one JSON value: send one object");
                }
            } catch (JacksonException e) {
                throw e;
            } catch (java.io.IOException e) {
                throw ApiError.badRequest("request body cannot be read: " + e.getMessage());
            }
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw ApiError.badRequest("request body is not valid " + (yaml ? "YAML" : "JSON") + where + ": "
                    + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiError.badRequest("request body must be one object, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        return object;
    }

    /** Secrets and Helm values never leave the manager: only Secret keys and a values hash are shown. */
    private static ObjectNode redact(ObjectNode object) {
        if (!Kind.SECRET.kindName().equals(Json.text(object, "kind"))) {
            return ValuesRedaction.redact(object);
        }
        ObjectNode copy = object.deepCopy();
        JsonNode data = copy.get("data");
        if (data instanceof ObjectNode d) {
            d.fieldNames().forEachRemaining(f -> d.put(f, ""));
        }
        copy.remove("stringData");
        return copy;
    }

    private record Reply(int code, ObjectNode body) {
    }

    @FunctionalInterface
    private interface Work {
        Future<Reply> start();
    }

    private void handle(RoutingContext ctx, Work work) {
        Future<Reply> reply;
        try {
            reply = work.start();
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e);
        }
        reply.onSuccess(r -> ctx.response().setStatusCode(r.code()).putHeader("content-type", "application/json")
                        .end(r.body().toString()))
                .onFailure(e -> fail(ctx, toApiError(e)));
    }

    private static ApiError toApiError(Throwable e) {
        if (e instanceof ApiError api) {
            return api;
        }
        if (e instanceof StoreException.NotFound nf) {
            return new ApiError(404, "NotFound", null, nf.getMessage());
        }
        if (e instanceof StoreException.AlreadyExists ae) {
            return new ApiError(409, "AlreadyExists", null, ae.getMessage());
        }
        if (e instanceof StoreException.Conflict c) {
            return new ApiError(409, "Conflict", "metadata.resourceVersion", c.getMessage());
        }
        LOG.error("Unexpected error in the REST API", e);
        return new ApiError(500, "InternalError", null, "internal error; see the manager log");
    }

    /** Writes a refusal as a Kubernetes {@code Status} object. */
    public static void fail(RoutingContext ctx, ApiError error) {
        ObjectNode status = Json.object();
        status.put("apiVersion", "v1");
        status.put("kind", "Status");
        status.put("status", "Failure");
        status.put("message", error.getMessage());
        status.put("reason", error.reason());
        status.put("code", error.code());
        if (error.field() != null) {
            ObjectNode details = status.putObject("details");
            ObjectNode cause = details.putArray("causes").addObject();
            cause.put("field", error.field());
            cause.put("message", error.getMessage());
        }
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(error.code()).putHeader("content-type", "application/json").end(status.toString());
        }
        if (ctx.request().method() != HttpMethod.GET) {
            LOG.info("{} {} refused: {} {}", ctx.request().method(), ctx.request().path(), error.code(), error.getMessage());
        }
    }
}

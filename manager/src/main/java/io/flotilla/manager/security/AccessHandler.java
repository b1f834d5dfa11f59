package io.flotilla.manager.security;

import io.flotilla.manager.api.ApiError;
import io.flotilla.manager.security.policy.AccessPolicy;
import io.flotilla.manager.security.policy.ApiRequest;
import io.flotilla.manager.security.policy.Identity;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Authentication and authorisation in front of the REST API and the SSE status stream: the bearer token is resolved
 * by the {@link Authenticator}, the request judged by {@link AccessPolicy}. No token or a bad one: 401; not allowed:
 * 403. {@code /healthz}, {@code /readyz}, the git webhook (which checks its own signature) and the dashboard's static
 * files (no data: the page sends a token with each API call) stay open.
 */
public final class AccessHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(AccessHandler.class);
    /** Where the identity of an admitted request is kept on the routing context. */
    public static final String IDENTITY = "flotilla.identity";
    static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz", "/webhooks/git");

    private final Admission admission;
    private final BiConsumer<RoutingContext, ApiError> refuse;

    /** @param refuse writes a refusal as the API does (a Kubernetes {@code Status} object) */
    public AccessHandler(Authenticator authenticator, BiConsumer<RoutingContext, ApiError> refuse) {
        this(Admission.userTokens(authenticator), refuse);
    }

    public AccessHandler(Admission admission, BiConsumer<RoutingContext, ApiError> refuse) {
        this.admission = admission;
        this.refuse = refuse;
    }

    @Override
    public void handle(RoutingContext ctx) {
        // As the router resolves it ("/ui/../apis/..." is "/apis/..."): a raw path could name an open or a permitted
        // path and reach another.
        String path = ctx.normalizedPath();
        if (OPEN_PATHS.contains(path) || io.flotilla.manager.ui.Dashboard.isAssetPath(path)) {
            ctx.next();
            return;
        }
        String token = bearer(ctx.request().headers());
        if (token == null) {
            unauthorized(ctx, "authentication required: send 'Authorization: Bearer <token>' (bin/flotilla reads it "
                    + "from its client config or FLOTILLA_TOKEN; the manager wrote an admin config into its data dir)");
            return;
        }
        // The body (if any) is read by BodyHandler after this check: hold it until then.
        ctx.request().pause();
        ApiRequest request = ApiRequest.parse(ctx.request().method().name(), path);
        admission.admit(token, request).onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof Denied d && !d.unauthenticated()) {
                    LOG.info("{} {} refused: {}", ctx.request().method(), path, d.getMessage());
                    ctx.request().resume();
                    refuse.accept(ctx, new ApiError(403, "Forbidden", null, d.getMessage()));
                } else {
                    unauthorized(ctx, ar.cause() instanceof Denied ? ar.cause().getMessage() : message(ar.cause()));
                }
                return;
            }
            Identity who = ar.result();
            ctx.put(IDENTITY, who);
            ctx.next();
            ctx.request().resume();
        });
    }

    private void unauthorized(RoutingContext ctx, String message) {
        ctx.request().resume();
        ctx.response().putHeader("www-authenticate", "Bearer realm=\"flotilla\"");
        refuse.accept(ctx, new ApiError(401, "Unauthorized", null, message));
    }

    static String message(Throwable e) {
        return e instanceof Authenticator.AuthenticationFailed ? e.getMessage()
                : "authentication failed: " + e.getClass().getSimpleName();
    }

    /** The token of an {@code Authorization: Bearer …} header, or null. */
    public static String bearer(MultiMap headers) {
        String auth = headers.get("authorization");
        if (auth == null || auth.length() < 7 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = auth.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** For the gRPC side: authenticates and authorises, failing with the reason and the status it maps to. */
    public static Future<Identity> check(Authenticator authenticator, MultiMap headers, ApiRequest request) {
        return check(Admission.userTokens(authenticator), headers, request);
    }

    public static Future<Identity> check(Admission admission, MultiMap headers, ApiRequest request) {
        String token = bearer(headers);
        if (token == null) {
            return Future.failedFuture(new Denied(true, "authentication required: send 'authorization: Bearer <token>' metadata"));
        }
        return admission.admit(token, request);
    }

    /** A refused call: {@code unauthenticated} → 401 / UNAUTHENTICATED, otherwise 403 / PERMISSION_DENIED. */
    public static final class Denied extends RuntimeException {
        private final boolean unauthenticated;

        public Denied(boolean unauthenticated, String message) {
            super(message, null, false, false);
            this.unauthenticated = unauthenticated;
        }

        public boolean unauthenticated() {
            return unauthenticated;
        }
    }
}

package io.flotilla.manager.ui;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web dashboard at {@code /ui/}: three static files shipped in the jar, read once into memory (no file cache on
 * disk, so it works on a read-only root file system). The files hold no data and are served without a token; the page
 * asks for a bearer token and sends it with every API call ({@code Authorization} header), so nothing it shows is
 * reachable without one. A strict Content-Security-Policy allows only this origin's script, style and connections.
 */
public final class Dashboard {
    /** The path prefix; {@code AccessHandler} lets it through unauthenticated. */
    public static final String PREFIX = "/ui/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    private final Map<String, Buffer> files = new LinkedHashMap<>();

    public Dashboard() {
        for (String name : TYPES.keySet()) {
            try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("dashboard asset " + name + " is missing from the jar");
                }
                files.put(name, Buffer.buffer(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Is this path one of the dashboard's (open) static files? */
    public static boolean isAssetPath(String path) {
        return path.equals("/ui") || path.startsWith(PREFIX);
    }

    public void routes(Router router) {
        router.get("/ui*").handler(this::serve); // one route: Vert.x matches "/ui" and "/ui/" alike
    }

    private void serve(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path.equals("/ui")) {
            ctx.redirect(PREFIX);
            return;
        }
        if (!path.startsWith(PREFIX)) {
            ctx.next();
            return;
        }
        String name = path.substring(PREFIX.length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        Buffer body = files.get(name);
        if (body == null) {
            ctx.next(); // the API's 404
            return;
        }
        ctx.response()
                .putHeader("content-type", TYPES.get(name))
                .putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("referrer-policy", "no-referrer")
                .putHeader("x-frame-options", "DENY")
                .putHeader("cache-control", "no-cache")
                .end(body);
    }
}

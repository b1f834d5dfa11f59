package io.flotilla.manager.security.policy;

import java.util.List;
import java.util.Locale;

/**
 * A request as authorisation sees it, in the terms of a Kubernetes SubjectAccessReview: a verb on a resource
 * (optionally namespaced and named) or on a non-resource path. Pure: parsed from the method and path only.
 *
 * @param verb        get, list, watch, create, update, delete
 * @param resource    REST plural ({@code gitrepos}, {@code secrets}, {@code usertokens}, {@code statuses}), or null for
 *                    a non-resource path
 * @param namespace   namespace, or null for all / not namespaced
 * @param name        object name, or null
 * @param subresource {@code status}, or null
 * @param path        the request path
 */
public record ApiRequest(Verb verb, String resource, String namespace, String name, String subresource, String path) {

    public enum Verb {
        GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE;

        public boolean readOnly() {
            return this == GET || this == LIST || this == WATCH;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The pseudo-resource of the status stream (SSE and the gRPC StatusService). */
    public static final String STATUSES = "statuses";
    /** People's and tools' bearer tokens ({@code /auth/v1/usertokens}). */
    public static final String USER_TOKENS = "usertokens";

    /** A gRPC StatusService call: Get/List/Watch of aggregated status. */
    public static ApiRequest statusService(String method) {
        Verb verb = switch (method) {
            case "Get" -> Verb.GET;
            case "Watch" -> Verb.WATCH;
            default -> Verb.LIST;
        };
        return new ApiRequest(verb, STATUSES, null, null, null, "/flotilla.v1.StatusService/" + method);
    }

    /** Reads a REST request: {@code /apis/flotilla.io/v1alpha1/...}, {@code /api/v1/...}, {@code /status/watch}, {@code /auth/v1/...}. */
    public static ApiRequest parse(String method, String path) {
        String m = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        List<String> parts = segments(path);
        int rest;
        if (parts.size() >= 3 && parts.get(0).equals("apis") && parts.get(1).equals("flotilla.io")) {
            rest = 3;
        } else if (parts.size() >= 2 && parts.get(0).equals("api") && parts.get(1).equals("v1")) {
            rest = 2;
        } else if (parts.size() >= 2 && parts.get(0).equals("auth") && parts.get(1).equals("v1")) {
            rest = 2;
        } else if (parts.size() == 2 && parts.get(0).equals("status") && parts.get(1).equals("watch")) {
            return new ApiRequest(Verb.WATCH, STATUSES, null, null, null, path);
        } else {
            return new ApiRequest(m.equals("GET") || m.equals("HEAD") ? Verb.GET : Verb.CREATE, null, null, null, null, path);
        }
        List<String> r = parts.subList(rest, parts.size());
        String namespace = null;
        if (r.size() >= 2 && r.get(0).equals("namespaces")) {
            namespace = r.get(1);
            r = r.subList(2, r.size());
        }
        if (r.isEmpty()) {
            return new ApiRequest(Verb.GET, null, namespace, null, null, path);
        }
        String resource = r.get(0);
        String name = r.size() >= 2 ? r.get(1) : null;
        String sub = r.size() >= 3 ? r.get(2) : null;
        Verb verb = switch (m) {
            case "POST" -> Verb.CREATE;
            case "PUT" -> Verb.UPDATE;
            case "PATCH" -> Verb.PATCH;
            case "DELETE" -> Verb.DELETE;
            default -> name == null && !resource.equals("whoami") ? Verb.LIST : Verb.GET;
        };
        return new ApiRequest(verb, resource, namespace, name, sub, path);
    }

    private static List<String> segments(String path) {
        String p = path == null ? "" : path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        return java.util.Arrays.stream(p.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** For messages: {@code create gitrepos in fleet-default}. */
    public String describe() {
        if (resource == null) {
            return verb.label() + " " + path;
        }
        StringBuilder b = new StringBuilder(verb.label()).append(' ').append(resource);
        if (name != null) {
            b.append(' ').append('"').append(name).append('"');
        }
        if (subresource != null) {
            b.append('/').append(subresource);
        }
        if (namespace != null) {
            b.append(" in namespace ").append(namespace);
        }
        return b.toString();
    }
}

package io.flotilla.manager.security.policy;

import java.util.Set;

/**
 * A manager request in the terms of a Kubernetes SubjectAccessReview, so that RBAC rules written for the upstream
 * cluster govern the manager's API too: flotilla.io kinds are resources of API group {@code flotilla.io}; Secrets and
 * Events are core resources; the status stream is the virtual resource {@code statuses} and user tokens the virtual
 * resource {@code usertokens}, both in {@code flotilla.io}; other paths (health, metrics, the dashboard) are
 * non-resource URLs. Pure.
 *
 * @param group       API group of a resource request ("" for core), or null for a non-resource request
 * @param resource    plural, or null for a non-resource request
 * @param path        the URL path of a non-resource request, or null
 */
public record KubernetesAttributes(String verb, String group, String resource, String subresource, String namespace,
                                   String name, String path) {
    private static final Set<String> CORE = Set.of("secrets", "events", "namespaces");

    public static KubernetesAttributes of(ApiRequest request) {
        String verb = request.verb().label();
        if (request.resource() == null) {
            // RBAC's nonResourceURLs verbs are HTTP-ish: get for reads, post for the rest
            return new KubernetesAttributes(request.verb().readOnly() ? "get" : "post", null, null, null, null, null,
                    pathOnly(request.path()));
        }
        String group = CORE.contains(request.resource()) ? "" : "flotilla.io";
        return new KubernetesAttributes(verb, group, request.resource(), request.subresource(), request.namespace(),
                request.name(), null);
    }

    public boolean nonResource() {
        return resource == null;
    }

    /** For messages: {@code create gitrepos.flotilla.io in namespace fleet-default}. */
    public String describe() {
        if (nonResource()) {
            return verb + " " + path;
        }
        StringBuilder b = new StringBuilder(verb).append(' ').append(resource);
        if (!group.isEmpty()) {
            b.append('.').append(group);
        }
        if (subresource != null) {
            b.append('/').append(subresource);
        }
        if (name != null) {
            b.append(" \"").append(name).append('"');
        }
        if (namespace != null) {
            b.append(" in namespace ").append(namespace);
        }
        return b.toString();
    }

    private static String pathOnly(String path) {
        int q = path == null ? -1 : path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}

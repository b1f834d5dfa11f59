package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Roles for the restricted identity of the test API server (its aggregated roles admin/edit/view stay empty
 * without a controller-manager): {@code flotilla-test-records}, full access to Secrets where bound, and
 * {@code flotilla-test-read}, read access to everything where bound.
 */
final class RestrictedRoles {
    private RestrictedRoles() {
    }

    static void create(KubernetesClient admin) {
        admin.resource(Serialization.unmarshal("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: flotilla-test-records}
                rules: [{apiGroups: [""], resources: [secrets], verbs: ["*"]}]
                """, ClusterRole.class)).createOr(r -> r.update());
        admin.resource(Serialization.unmarshal("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: flotilla-test-read}
                rules: [{apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch]}]
                """, ClusterRole.class)).createOr(r -> r.update());
    }
}

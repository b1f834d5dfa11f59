package io.flotilla.manager.security.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {
    private static final Identity ADMIN = new Identity("root", Role.ADMIN);
    private static final Identity VIEWER = new Identity("dashboard", Role.VIEWER);

    @ParameterizedTest(name = "{0} {1} -> {2} {3} ns={4} name={5} sub={6}")
    @CsvSource(nullValues = "-", value = {
            "GET,    /apis/flotilla.io/v1alpha1/gitrepos,                                  LIST,   gitrepos,  -,   -,  -",
            "GET,    /apis/flotilla.io/v1alpha1/namespaces/ns/gitrepos,                    LIST,   gitrepos,  ns,  -,  -",
            "GET,    /apis/flotilla.io/v1alpha1/namespaces/ns/gitrepos/a,                  GET,    gitrepos,  ns,  a,  -",
            "GET,    /apis/flotilla.io/v1alpha1/namespaces/ns/gitrepos/a/status,           GET,    gitrepos,  ns,  a,  status",
            "POST,   /apis/flotilla.io/v1alpha1/namespaces/ns/gitrepos,                    CREATE, gitrepos,  ns,  -,  -",
            "PUT,    /apis/flotilla.io/v1alpha1/namespaces/ns/clusters/c,                  UPDATE, clusters,  ns,  c,  -",
            "DELETE, /apis/flotilla.io/v1alpha1/namespaces/ns/clusters/c,                  DELETE, clusters,  ns,  c,  -",
            "GET,    /api/v1/namespaces/ns/secrets/s,                                      GET,    secrets,   ns,  s,  -",
            "GET,    /api/v1/secrets?limit=1,                                              LIST,   secrets,   -,   -,  -",
            "GET,    /status/watch,                                                        WATCH,  statuses,  -,   -,  -",
            "POST,   /auth/v1/usertokens,                                                  CREATE, usertokens, -,  -,  -",
            "DELETE, /auth/v1/usertokens/ci,                                               DELETE, usertokens, -,  ci, -",
            "GET,    /auth/v1/whoami,                                                      GET,    whoami,    -,   -,  -",
            "GET,    /ui/index.html,                                                       GET,    -,         -,   -,  -",
            "POST,   /somewhere,                                                           CREATE, -,         -,   -,  -",
    })
    void requestsReadAsSubjectAccessReviewAttributes(String method, String path, ApiRequest.Verb verb, String resource,
                                                     String ns, String name, String sub) {
        ApiRequest r = ApiRequest.parse(method, path);
        assertThat(r.verb()).isEqualTo(verb);
        assertThat(r.resource()).isEqualTo(resource);
        assertThat(r.namespace()).isEqualTo(ns);
        assertThat(r.name()).isEqualTo(name);
        assertThat(r.subresource()).isEqualTo(sub);
    }

    @ParameterizedTest(name = "{0} {1} {2}: admin={3} viewer={4}")
    @CsvSource({
            "GET,    /apis/flotilla.io/v1alpha1/gitrepos,                          true,  true",
            "GET,    /apis/flotilla.io/v1alpha1/namespaces/ns/bundles/b,           true,  true",
            "GET,    /apis/flotilla.io/v1alpha1/namespaces/ns/clusterregistrationtokens, true, true",
            "POST,   /apis/flotilla.io/v1alpha1/namespaces/ns/gitrepos,            true,  false",
            "PUT,    /apis/flotilla.io/v1alpha1/namespaces/ns/clusters/c,          true,  false",
            "DELETE, /apis/flotilla.io/v1alpha1/namespaces/ns/gitrepos/g,          true,  false",
            "POST,   /apis/flotilla.io/v1alpha1/namespaces/ns/clusterregistrationtokens, true, false",
            "GET,    /api/v1/secrets,                                              true,  false",
            "GET,    /api/v1/namespaces/ns/secrets,                                true,  false",
            "GET,    /api/v1/namespaces/ns/secrets/git-auth,                       true,  false",
            "POST,   /api/v1/namespaces/ns/secrets,                                true,  false",
            "GET,    /status/watch,                                                true,  true",
            "GET,    /auth/v1/whoami,                                              true,  true",
            "GET,    /auth/v1/usertokens,                                          true,  false",
            "POST,   /auth/v1/usertokens,                                          true,  false",
            "DELETE, /auth/v1/usertokens/x,                                        true,  false",
            // the manager's own credential material: nobody, whatever the role
            "GET,    /api/v1/namespaces/ns/secrets/flotilla-agent-c1,              false, false",
            "PUT,    /api/v1/namespaces/ns/secrets/flotilla-agent-c1,              false, false",
            "DELETE, /api/v1/namespaces/ns/secrets/flotilla-token-t,               false, false",
            "GET,    /api/v1/namespaces/flotilla-system/secrets,                   false, false",
            "GET,    /api/v1/namespaces/flotilla-system/secrets/flotilla-user-admin, false, false",
    })
    void decisions(String method, String path, boolean admin, boolean viewer) {
        ApiRequest r = ApiRequest.parse(method, path);
        assertThat(AccessPolicy.decide(ADMIN, r).allowed()).as("admin " + r.describe()).isEqualTo(admin);
        AccessPolicy.Decision v = AccessPolicy.decide(VIEWER, r);
        assertThat(v.allowed()).as("viewer " + r.describe()).isEqualTo(viewer);
        if (!v.allowed()) {
            assertThat(v.reason()).isNotBlank();
        }
    }

    @ParameterizedTest
    @CsvSource({"Get, true", "List, true", "Watch, true"})
    void statusServiceIsReadOnlyForBothRoles(String method, boolean allowed) {
        assertThat(AccessPolicy.decide(VIEWER, ApiRequest.statusService(method)).allowed()).isEqualTo(allowed);
        assertThat(AccessPolicy.decide(ADMIN, ApiRequest.statusService(method)).allowed()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"ns, flotilla-agent-c1, true", "ns, flotilla-token-t, true", "flotilla-system, anything, true",
            "ns, git-auth, false", "ns, flotilla-agentx, false"})
    void reservedSecretNames(String ns, String name, boolean reserved) {
        assertThat(CredentialSecrets.isReserved(ns, name)).isEqualTo(reserved);
    }
}

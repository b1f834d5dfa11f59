package io.flotilla.manager.security.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Manager requests as SubjectAccessReviews ask them: table-driven, pure. */
class KubernetesAttributesTest {
    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET    | /apis/flotilla.io/v1alpha1/namespaces/fleet-default/gitrepos          | list gitrepos.flotilla.io in namespace fleet-default",
            "GET    | /apis/flotilla.io/v1alpha1/namespaces/fleet-default/gitrepos/apps     | get gitrepos.flotilla.io \"apps\" in namespace fleet-default",
            "POST   | /apis/flotilla.io/v1alpha1/namespaces/fleet-default/gitrepos          | create gitrepos.flotilla.io in namespace fleet-default",
            "PUT    | /apis/flotilla.io/v1alpha1/namespaces/ns/clusters/c1/status           | update clusters.flotilla.io/status \"c1\" in namespace ns",
            "DELETE | /apis/flotilla.io/v1alpha1/namespaces/ns/bundles/b                    | delete bundles.flotilla.io \"b\" in namespace ns",
            "GET    | /apis/flotilla.io/v1alpha1/gitrepos                                   | list gitrepos.flotilla.io",
            "GET    | /api/v1/namespaces/fleet-default/secrets/creds                        | get secrets \"creds\" in namespace fleet-default",
            "GET    | /api/v1/namespaces/fleet-default/events                               | list events in namespace fleet-default",
            "GET    | /status/watch                                                         | watch statuses.flotilla.io",
            "POST   | /auth/v1/usertokens                                                   | create usertokens.flotilla.io",
            "GET    | /metrics                                                              | get /metrics",
            "GET    | /ui/index.html?x=1                                                    | get /ui/index.html",
            "POST   | /webhooks/other                                                       | post /webhooks/other",
    })
    void restRequests(String method, String path, String asked) {
        assertThat(KubernetesAttributes.of(ApiRequest.parse(method.trim(), path.trim())).describe()).isEqualTo(asked.trim());
    }

    @ParameterizedTest
    @CsvSource({"Get,get", "List,list", "Watch,watch"})
    void theStatusServiceIsTheVirtualResourceStatuses(String method, String verb) {
        KubernetesAttributes a = KubernetesAttributes.of(ApiRequest.statusService(method));
        assertThat(a.group()).isEqualTo("flotilla.io");
        assertThat(a.resource()).isEqualTo("statuses");
        assertThat(a.verb()).isEqualTo(verb);
    }
}

package io.flotilla.agent.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectRefTest {

    @ParameterizedTest(name = "{0} {1} {2}/{3} -> {4}")
    @CsvSource(nullValues = "-", value = {
            "v1,                       Service,                  ns, svc-test, service.v1 ns/svc-test",
            "apps/v1,                  Deployment,               default, web, deployment.apps default/web",
            "apiextensions.k8s.io/v1,  CustomResourceDefinition, -,  w.example.com, customresourcedefinition.apiextensions.k8s.io w.example.com",
            "-,                        Widget,                   ns, w,        widget ns/w"})
    void idFollowsFleet(String apiVersion, String kind, String namespace, String name, String id) {
        assertThat(new ObjectRef(apiVersion, kind, namespace, name).id()).isEqualTo(id);
    }

    @Test
    void readsTheIdentityOfAnObject() {
        ObjectRef ref = ObjectRef.of(Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", Map.of("name", "web", "namespace", "ns")));
        assertThat(ref).isEqualTo(new ObjectRef("apps/v1", "Deployment", "ns", "web"));
        assertThat(ref.group()).isEqualTo("apps");
        assertThat(ref.clusterScoped()).isFalse();
        assertThat(new ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "x").isCrd()).isTrue();
    }

    @ParameterizedTest(name = "{0} fits {1}")
    @CsvSource({"short-name, 63", "a-name-that-is-much-longer-than-the-limit-of-a-kubernetes-label-value-x, 63",
            "x--------------------------------------------------------------------------y, 20"})
    void namesFitTheirLimitAndStayDistinct(String name, int max) {
        String fitted = Names.fit(name, max);
        assertThat(fitted.length()).isLessThanOrEqualTo(max);
        assertThat(fitted).matches("[a-zA-Z0-9].*[a-zA-Z0-9]");
        if (name.length() > max) {
            assertThat(fitted).isNotEqualTo(Names.fit(name + "2", max));
        } else {
            assertThat(fitted).isEqualTo(name);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"bd-web, bd-web", "bd-Web_App, bd-web-app-"})
    void recordNamesAreDnsSubdomains(String name, String prefix) {
        assertThat(Names.dnsSubdomain(name)).startsWith(prefix).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    }

    @Test
    void preparedObjectsCarryOwnershipAndTheirOwnLastAppliedConfiguration() {
        Map<String, Object> desired = Json.readMap("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
                + "{\"name\":\"c\"},\"data\":{\"a\":\"1\"},\"status\":{\"x\":1}}");
        Map<String, Object> prepared = Ownership.prepare(desired, "bd");

        assertThat(prepared).doesNotContainKey("status");
        assertThat(Ownership.isOwnedBy(prepared, "bd")).isTrue();
        assertThat(Ownership.isOwnedBy(prepared, "other")).isFalse();
        assertThat(Maps.map(prepared, "metadata", "annotations")).containsOnlyKeys(Ownership.OWNED_BY_ANNOTATION);
        assertThat(prepared.get("data")).isEqualTo(Map.of("a", "1"));
        assertThat(desired).containsKey("status");
    }
}

package io.flotilla.manager.status;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** fleet-semantics §7.4 string forms and §6.10 resource type/id. */
class StringFormsTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "Service,    v1,      ns,      svc-test, service.v1 ns/svc-test,      service,         ns/svc-test",
            "Deployment, apps/v1, default, web,      deployment.apps default/web, apps.deployment, default/web",
            "Namespace,  v1,      null,    prod,     namespace.v1 prod,           namespace,       prod",
            "ConfigMap,  null,    default, cm,       configmap default/cm,        configmap,       default/cm",
    })
    void resourceForms(String kind, String apiVersion, String namespace, String name, String described, String type,
                       String id) {
        ResourceRef ref = new ResourceRef(kind, apiVersion, namespace, name);
        assertThat(ref.describe()).isEqualTo(described);
        assertThat(ref.type()).isEqualTo(type);
        assertThat(ref.id()).isEqualTo(id);
    }

    static Stream<Arguments> nonReady() {
        ResourceRef web = new ResourceRef("Deployment", "apps/v1", "default", "web");
        return Stream.of(
                arguments(new NonReady("", web, "in-progress", false, false, List.of()), "deployment.apps default/web in-progress"),
                arguments(new NonReady("", web, "in-progress", false, true, List.of("waiting", "1 of 2")),
                        "deployment.apps default/web [progressing] waiting, 1 of 2"),
                arguments(new NonReady("", web, "error", true, true, List.of("crash")),
                        "deployment.apps default/web [progressing,error] crash"),
                // §9 item 16: Fleet renders "error]" here
                arguments(new NonReady("", web, "error", true, false, List.of("image pull")),
                        "deployment.apps default/web [error] image pull"));
    }

    @ParameterizedTest
    @MethodSource("nonReady")
    void nonReadyForm(NonReady status, String expected) {
        assertThat(status.describe()).isEqualTo(expected);
    }

    static Stream<Arguments> modified() {
        ResourceRef cm = new ResourceRef("ConfigMap", "v1", "default", "cm");
        return Stream.of(
                arguments(new Modified(cm, true, false, false, ""), "configmap.v1 default/cm missing", "Missing"),
                arguments(new Modified(cm, true, true, false, ""), "configmap.v1 default/cm is not owned by us", "Missing"),
                arguments(new Modified(cm, false, false, true, ""), "configmap.v1 default/cm extra", "Orphaned"),
                arguments(new Modified(cm, false, false, false, "{\"data\":{\"a\":\"1\"}}"),
                        "configmap.v1 default/cm modified {\"data\":{\"a\":\"1\"}}", "Modified"));
    }

    @ParameterizedTest
    @MethodSource("modified")
    void modifiedForm(Modified status, String expected, String resourceState) {
        assertThat(status.describe()).isEqualTo(expected);
        assertThat(status.resourceState()).isEqualTo(resourceState);
    }
}

package io.flotilla.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.flotilla.testkit.KubeApiServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.flotilla.e2e.charts.ChartValues.AGENT_NS;
import static io.flotilla.e2e.charts.ChartValues.MANAGER_NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every object the charts render, with default and non-default values, passes a server-side dry-run apply with
 * strict field validation on a real kube-apiserver (the CRDs applied for real first): schema, admission and RBAC
 * escalation checks are the real ones.
 */
class ChartsDryRunKubeIT {
    private static final Map<String, String> VALUES = Map.of(
            "AGENT_MINIMAL", ChartValues.AGENT_MINIMAL,
            "AGENT_CUSTOM", ChartValues.AGENT_CUSTOM,
            "MANAGER_CUSTOM", ChartValues.MANAGER_CUSTOM);

    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();

    static KubernetesClient kube;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void crdsAndNamespaces() throws Exception {
        kube = KUBE.get().client();
        for (JsonNode crd : Charts.render("flotilla-crds", "flotilla-crds", MANAGER_NS, null, scratch).objects()) {
            kube.resource(kube.getKubernetesSerialization().unmarshal(crd.toString(), CustomResourceDefinition.class))
                    .fieldValidation(FieldValidateable.Validation.STRICT).fieldManager("helm").serverSideApply();
        }
        for (JsonNode crd : Charts.render("flotilla-crds", "flotilla-crds", MANAGER_NS, null, scratch).objects()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> kube.apiextensions().v1().customResourceDefinitions()
                    .withName(crd.path("metadata").path("name").asText()).get().getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
        }
        for (String ns : List.of(MANAGER_NS, AGENT_NS, "apps", "web")) {
            if (kube.namespaces().withName(ns).get() == null) {
                kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                        .create();
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} with {3}")
    @CsvSource({
            "flotilla-crds,  flotilla-crds,  " + MANAGER_NS + ", DEFAULTS",
            "flotilla,       flotilla,       " + MANAGER_NS + ", DEFAULTS",
            "flotilla,       flotilla,       " + MANAGER_NS + ", MANAGER_CUSTOM",
            "flotilla-agent, flotilla-agent, " + AGENT_NS + ",   AGENT_MINIMAL",
            "flotilla-agent, edge,           " + AGENT_NS + ",   AGENT_CUSTOM",
    })
    void everyRenderedObjectPassesAServerSideDryRun(String chart, String release, String namespace, String values)
            throws Exception {
        var rendered = Charts.render(chart, release, namespace, VALUES.get(values), scratch);
        assertThat(rendered.objects()).isNotEmpty();
        List<String> refused = new ArrayList<>();
        for (JsonNode object : rendered.objects()) {
            GenericKubernetesResource resource = kube.getKubernetesSerialization().unmarshal(object.toString(),
                    GenericKubernetesResource.class);
            var kind = kube.genericKubernetesResources(resource.getApiVersion(), resource.getKind());
            String ns = resource.getMetadata().getNamespace();
            try {
                GenericKubernetesResource result = (ns == null ? kind.resource(resource) : kind.inNamespace(ns).resource(resource))
                        .dryRun().fieldValidation(FieldValidateable.Validation.STRICT).fieldManager("helm")
                        .forceConflicts().serverSideApply();
                assertThat(result.getMetadata().getName()).isEqualTo(resource.getMetadata().getName());
            } catch (KubernetesClientException e) {
                refused.add(resource.getKind() + " " + resource.getMetadata().getName() + ": " + e.getMessage());
            }
        }
        assertThat(refused).as("objects the API server refused").isEmpty();
    }

    @Test
    void aDryRunCanFail() {
        // the check above is live: an invalid Deployment of the same shape is refused
        var rendered = renderedManager();
        JsonNode deployment = rendered.one("Deployment").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) deployment.path("spec")).put("replicas", "two");
        GenericKubernetesResource resource = kube.getKubernetesSerialization().unmarshal(deployment.toString(),
                GenericKubernetesResource.class);
        try {
            kube.genericKubernetesResources("apps/v1", "Deployment").inNamespace(MANAGER_NS).resource(resource).dryRun()
                    .fieldValidation(FieldValidateable.Validation.STRICT).fieldManager("helm").serverSideApply();
            throw new AssertionError("an invalid Deployment passed the dry run");
        } catch (KubernetesClientException e) {
            assertThat(e.getMessage()).contains("spec.replicas");
        }
        assertThat(kube.apps().deployments().inNamespace(MANAGER_NS).list().getItems()).as("dry runs persist nothing")
                .isEmpty();
    }

    private static Charts.Rendered renderedManager() {
        try {
            return Charts.render("flotilla", "flotilla", MANAGER_NS, null, scratch);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

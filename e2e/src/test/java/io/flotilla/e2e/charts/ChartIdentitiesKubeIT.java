package io.flotilla.e2e.charts;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flotilla.testkit.KubeApiServer;
import io.flotilla.testkit.KubeApiServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static io.flotilla.e2e.charts.ChartValues.MANAGER_NS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identities the charts create, installed for real on a real API server and asked as themselves (a
 * TokenRequest token of each chart's ServiceAccount, SelfSubjectAccessReview): the manager may do what Kubernetes
 * mode needs and nothing else; the restricted agent writes only where its values say; the default agent is
 * cluster-admin.
 */
class ChartIdentitiesKubeIT {
    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();

    @TempDir
    static Path dir;

    static final Map<String, KubernetesClient> AS = new HashMap<>();

    @BeforeAll
    static void installCharts() throws Exception {
        KubernetesClient admin = KUBE.get().client();
        ChartInstall.apply(admin, Charts.render("flotilla-crds", "flotilla-crds", MANAGER_NS, null, dir));
        for (String ns : new String[] {"apps", "web", "fleet-default"}) {
            ChartInstall.ensureNamespace(admin, ns);
        }
        ChartInstall.apply(admin, Charts.render("flotilla", "flotilla", MANAGER_NS, null, dir));
        // the restricted agent (release "edge") and the default one, as two installs into one test cluster
        ChartInstall.apply(admin, Charts.render("flotilla-agent", "edge", "edge-agent", ChartValues.AGENT_CUSTOM, dir));
        ChartInstall.apply(admin, Charts.render("flotilla-agent", "flotilla-agent", "flotilla-agent",
                ChartValues.AGENT_MINIMAL, dir));
        for (String[] sa : new String[][] {{MANAGER_NS, "flotilla"}, {"edge-agent", "edge-flotilla-agent"},
                {"flotilla-agent", "flotilla-agent"}}) {
            Path kubeconfig = ChartInstall.kubeconfigOf(KUBE.get(), sa[0], sa[1], dir);
            AS.put(sa[1], new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                    .build());
        }
    }

    @AfterAll
    static void closeClients() {
        AS.values().forEach(KubernetesClient::close);
    }

    private static boolean allowed(String who, String verb, String group, String resource, String subresource,
                                   String namespace, String name) {
        var review = AS.get(who).authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withNewResourceAttributes().withVerb(verb).withGroup(dash(group)).withResource(resource)
                .withSubresource(dash(subresource)).withNamespace(dash(namespace)).withName(dash(name))
                .endResourceAttributes().endSpec().build());
        return review.getStatus().getAllowed();
    }

    private static String dash(String value) {
        return value == null || value.equals("-") ? "" : value;
    }

    @ParameterizedTest(name = "{0} {1} {3}/{4} in {5} name {6}: {7}")
    @CsvSource(delimiter = '|', textBlock = """
            flotilla            | watch  | flotilla.io          | gitrepos                  | -      | -              | -                   | true
            flotilla            | create | flotilla.io          | bundledeployments         | -      | cluster-x      | -                   | true
            flotilla            | update | flotilla.io          | gitrepos                  | status | fleet-default  | apps                | true
            flotilla            | patch  | flotilla.io          | clusters                  | status | fleet-default  | c1                  | true
            flotilla            | delete | flotilla.io          | bundles                   | -      | fleet-default  | b                   | true
            flotilla            | create | flotilla.io          | contents                  | -      | -              | -                   | true
            flotilla            | watch  | flotilla.io          | clusterregistrationtokens | -      | -              | -                   | true
            flotilla            | create | -                    | namespaces                | -      | -              | -                   | true
            flotilla            | create | -                    | secrets                   | -      | fleet-default  | -                   | true
            flotilla            | list   | -                    | secrets                   | -      | -              | -                   | true
            flotilla            | create | -                    | events                    | -      | fleet-default  | -                   | true
            flotilla            | list   | -                    | events                    | -      | -              | -                   | true
            flotilla            | delete | -                    | events                    | -      | fleet-default  | apps.1              | true
            flotilla            | create | authentication.k8s.io| tokenreviews              | -      | -              | -                   | true
            flotilla            | create | authorization.k8s.io | subjectaccessreviews      | -      | -              | -                   | true
            flotilla            | create | coordination.k8s.io  | leases                    | -      | flotilla-system| -                   | true
            flotilla            | update | coordination.k8s.io  | leases                    | -      | flotilla-system| flotilla            | true
            flotilla            | update | coordination.k8s.io  | leases                    | -      | flotilla-system| someone-else        | false
            flotilla            | create | coordination.k8s.io  | leases                    | -      | kube-system    | -                   | false
            flotilla            | create | apiextensions.k8s.io | customresourcedefinitions | -      | -              | -                   | false
            flotilla            | create | -                    | pods                      | -      | flotilla-system| -                   | false
            flotilla            | create | apps                 | deployments               | -      | fleet-default  | -                   | false
            flotilla            | delete | -                    | namespaces                | -      | -              | default             | false
            flotilla            | create | rbac.authorization.k8s.io | clusterrolebindings  | -      | -              | -                   | false
            edge-flotilla-agent | create | apps                 | deployments               | -      | apps           | -                   | true
            edge-flotilla-agent | delete | -                    | configmaps                | -      | web            | x                   | true
            edge-flotilla-agent | watch  | apps                 | deployments               | -      | -              | -                   | true
            edge-flotilla-agent | create | apps                 | deployments               | -      | default        | -                   | false
            edge-flotilla-agent | create | -                    | namespaces                | -      | -              | -                   | false
            edge-flotilla-agent | create | apiextensions.k8s.io | customresourcedefinitions | -      | -              | -                   | false
            edge-flotilla-agent | create | -                    | secrets                   | -      | flotilla-system| -                   | true
            edge-flotilla-agent | delete | -                    | secrets                   | -      | flotilla-system| bd-apps-app         | true
            edge-flotilla-agent | create | -                    | secrets                   | -      | edge-agent     | -                   | true
            edge-flotilla-agent | update | -                    | secrets                   | -      | edge-agent     | edge-flotilla-agent-state | true
            edge-flotilla-agent | get    | -                    | secrets                   | -      | edge-agent     | edge-flotilla-agent-state | true
            edge-flotilla-agent | update | -                    | secrets                   | -      | edge-agent     | other               | false
            edge-flotilla-agent | create | -                    | secrets                   | -      | default        | -                   | false
            flotilla-agent      | create | apiextensions.k8s.io | customresourcedefinitions | -      | -              | -                   | true
            flotilla-agent      | create | -                    | namespaces                | -      | -              | -                   | true
            """)
    void theChartsServiceAccountsMayDoWhatTheirComponentNeedsAndNoMore(String who, String verb, String group,
            String resource, String subresource, String namespace, String name, boolean expected) {
        assertThat(allowed(who, verb, group.trim(), resource, subresource, namespace.trim(), name)).isEqualTo(expected);
    }
}

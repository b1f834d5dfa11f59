package io.flotilla.manager.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.manager.Manager;
import io.flotilla.manager.ManagerConfig;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.testing.ManagerClient;
import io.flotilla.testkit.KubeApiServer;
import io.flotilla.testkit.KubeApiServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In Kubernetes mode the upstream cluster's RBAC governs the manager's API: a Kubernetes token is authenticated by a
 * TokenReview and each request authorised by a SubjectAccessReview on a real kube-apiserver. A ServiceAccount that
 * may read GitRepos in one namespace reads them and is refused everything else with the RBAC reason; an unknown
 * token is 401; a cluster-admin may write, but never the manager's credential material; manager user tokens still
 * work.
 */
class KubernetesAdmissionKubeIT {
    private static final String NS = "fleet-default";
    private static final String GITREPOS = "/apis/flotilla.io/v1alpha1/namespaces/" + NS + "/gitrepos";

    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();

    @TempDir
    static Path dir;
    static Manager manager;
    static ManagerClient admin;
    static String readerToken;
    static String kubeAdminToken;

    @BeforeAll
    static void start() throws Exception {
        KubernetesClient kube = KUBE.get().client();
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        kube.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("reader")
                .endMetadata().build()).create();
        kube.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("gitrepo-reader").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("flotilla.io").withResources("gitrepos")
                        .withVerbs("get", "list").build()).build()).create();
        kube.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata().withName("reader")
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "gitrepo-reader")
                .addNewSubject().withKind("ServiceAccount").withName("reader").withNamespace(NS).endSubject().build()).create();
        readerToken = kube.serviceAccounts().inNamespace(NS).withName("reader")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        kubeAdminToken = Files.readString(KUBE.get().kubeconfig(KubeApiServer.User.ADMIN))
                .replaceAll("(?s).*token: ([^}\\s]+).*", "$1");
        manager = Manager.start(ManagerConfig.defaults(dir.resolve("data"), "127.0.0.1", 0)
                        .withKubernetes(new ManagerConfig.KubernetesMode(KUBE.get().kubeconfig(KubeApiServer.User.ADMIN),
                                "flotilla-system", true, null)))
                .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        admin = ManagerClient.admin(manager);
    }

    @AfterAll
    static void stop() throws Exception {
        if (manager != null) {
            manager.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private static final String GITREPO = """
            {"metadata": {"name": "%s"}, "spec": {"repo": "https://git.example.com/apps.git"}}""";

    @Test
    void aServiceAccountMayDoWhatItsRbacAllowsAndNothingElse() throws Exception {
        ManagerClient reader = admin.withToken(readerToken);
        assertThat(admin.send("POST", GITREPOS, GITREPO.formatted("apps")).statusCode()).isEqualTo(201);

        HttpResponse<String> list = reader.send("GET", GITREPOS, null);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(list.body()).path("items").get(0).path("metadata").path("name").asText()).isEqualTo("apps");
        assertThat(reader.send("GET", GITREPOS + "/apps", null).statusCode()).isEqualTo(200);

        HttpResponse<String> create = reader.send("POST", GITREPOS, GITREPO.formatted("mine"));
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(create.body()).path("message").asText())
                .contains("system:serviceaccount:" + NS + ":reader").contains("may not create gitrepos.flotilla.io")
                .contains("Kubernetes RBAC");
        assertThat(reader.send("GET", "/apis/flotilla.io/v1alpha1/namespaces/other/gitrepos", null).statusCode())
                .as("another namespace").isEqualTo(403);
        assertThat(reader.send("GET", "/api/v1/namespaces/" + NS + "/secrets", null).statusCode()).isEqualTo(403);
        assertThat(reader.send("GET", "/status/watch", null).statusCode()).as("status stream: statuses not granted")
                .isEqualTo(403);

        JsonNode whoami = Json.MAPPER.readTree(reader.send("GET", "/auth/v1/whoami", null).body());
        assertThat(whoami.path("name").asText()).isEqualTo("system:serviceaccount:" + NS + ":reader");
        assertThat(whoami.path("role").asText()).isEqualTo("kubernetes-rbac");
    }

    @Test
    void unknownTokensAre401AndAClusterAdminStillNeverReachesCredentialMaterial() throws Exception {
        HttpResponse<String> unknown = admin.withToken("not-a-kubernetes-token").send("GET", GITREPOS, null);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("did not authenticate this token").doesNotContain("not-a-kubernetes-token");

        ManagerClient clusterAdmin = admin.withToken(kubeAdminToken);
        assertThat(clusterAdmin.send("POST", GITREPOS, GITREPO.formatted("by-kube-admin")).statusCode()).isEqualTo(201);
        assertThat(clusterAdmin.send("GET", "/api/v1/namespaces/flotilla-system/secrets", null).statusCode()).isEqualTo(403);
        assertThat(clusterAdmin.send("GET", "/api/v1/namespaces/" + NS + "/secrets/flotilla-token-x", null).statusCode())
                .isEqualTo(403);
        // manager user tokens keep working beside Kubernetes ones
        assertThat(admin.send("GET", GITREPOS + "/by-kube-admin", null).statusCode()).isEqualTo(200);
    }
}

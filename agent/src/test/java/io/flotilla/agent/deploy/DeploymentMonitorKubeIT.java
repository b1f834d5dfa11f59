package io.flotilla.agent.deploy;

import static io.flotilla.agent.deploy.Manifests.configMap;
import static io.flotilla.agent.deploy.Manifests.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.flotilla.agent.drift.ModifiedEntry;
import io.flotilla.agent.status.BdStatusReport;
import io.flotilla.agent.status.Condition;
import io.flotilla.agent.status.ResourceCounts;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.CorrectDrift;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.testkit.KubeApiServer;
import io.flotilla.testkit.KubeApiServers;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Status and drift from informers, against a real kube-apiserver (one per class, namespaces per test). */
class DeploymentMonitorKubeIT {
    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();
    private static final AtomicInteger TESTS = new AtomicInteger();

    private final int n = TESTS.incrementAndGet();
    private final String apps = "apps-" + n;
    private final String other = "other-" + n;
    private final String agentNamespace = "flotilla-system-" + n;
    private final KubernetesClient admin = KUBE.get().client();
    private final KubernetesClient agentClient = KUBE.get().newClient(KubeApiServer.User.AGENT);
    private final Deployer deployer = new Deployer(agentClient, agentNamespace);
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final AtomicReference<BdStatusReport> lastReport = new AtomicReference<>();
    private final DeploymentMonitor monitor = new DeploymentMonitor(agentClient, deployer,
            bd -> worker.submit(() -> lastReport.set(statusOf(bd))));

    @AfterEach
    void close() {
        monitor.close();
        worker.shutdownNow();
    }

    private BdStatusReport statusOf(String bd) {
        return monitor.status(bd);
    }

    private DeploymentRequest deploy(String bd, String ns, boolean correctDrift, List<Map<String, Object>> objects) {
        var options = BundleDeploymentOptions.builder().namespace(ns)
                .correctDrift(correctDrift ? new CorrectDrift(true, false, false) : null).build();
        DeploymentRequest request = new DeploymentRequest(bd, "d1", options, objects);
        monitor.track(request, deployer.apply(request));
        return request;
    }

    /** A second as the product promises; the informer's first watch event after a start can take a little longer. */
    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(2);

    @Test
    void freshConfigMapsAreReadyAndUnmodified() {
        deploy("cfgs", apps, false, List.of(configMap(apps, "a", Map.of("k", "v")), configMap(apps, "b", Map.of())));

        BdStatusReport report = monitor.status("cfgs");

        assertThat(report.appliedDeploymentId()).isEqualTo("d1");
        assertThat(report.ready()).isTrue();
        assertThat(report.nonModified()).isTrue();
        assertThat(report.resourceCounts()).isEqualTo(new ResourceCounts(2, 2, 0, 0, 0, 0, 0, 0));
        assertThat(report.resources()).extracting(r -> r.name()).containsExactly("a", "b");
        assertThat(report.conditions()).extracting(Condition::type, Condition::status).containsExactly(
                tuple("Deployed", "True"), tuple("Installed", "True"), tuple("Monitored", "True"), tuple("Ready", "True"));
    }

    @Test
    void handEditIsReportedModifiedWithinASecond() {
        deploy("cfgs", apps, false, List.of(configMap(apps, "a", Map.of("k", "v"))));
        await().atMost(WITHIN_A_SECOND).until(() -> lastReport.get() != null && lastReport.get().nonModified());

        admin.configMaps().inNamespace(apps).withName("a")
                .edit(c -> new ConfigMapBuilder(c).addToData("k", "edited").build());

        await().atMost(WITHIN_A_SECOND).until(() -> !lastReport.get().nonModified());
        BdStatusReport report = lastReport.get();
        assertThat(report.modifiedStatus()).containsExactly(
                new ModifiedEntry("ConfigMap", "v1", apps, "a", false, false, false, "{\"data\":{\"k\":\"v\"}}"));
        assertThat(report.modifiedStatus().get(0)).hasToString("configmap.v1 " + apps + "/a modified {\"data\":{\"k\":\"v\"}}");
        assertThat(report.resourceCounts().modified()).isEqualTo(1);
        assertThat(report.condition("Ready").message()).isEqualTo("configmap.v1 " + apps + "/a modified {\"data\":{\"k\":\"v\"}}");
    }

    @Test
    void handEditIsRestoredWhenCorrectDriftIsEnabled() {
        deploy("cfgs", apps, true, List.of(configMap(apps, "a", Map.of("k", "v"))));

        admin.configMaps().inNamespace(apps).withName("a")
                .edit(c -> new ConfigMapBuilder(c).addToData("k", "edited").build());

        await().atMost(WITHIN_A_SECOND).until(() -> "v".equals(
                admin.configMaps().inNamespace(apps).withName("a").get().getData().get("k")));
        assertThat(monitor.status("cfgs").nonModified()).isTrue();
    }

    @Test
    void handDeletionIsReportedMissing() {
        deploy("cfgs", apps, false, List.of(configMap(apps, "a", Map.of()), configMap(apps, "b", Map.of())));

        admin.configMaps().inNamespace(apps).withName("b").delete();

        await().atMost(WITHIN_A_SECOND).until(() -> lastReport.get() != null && !lastReport.get().nonModified());
        BdStatusReport report = lastReport.get();
        assertThat(report.modifiedStatus()).extracting(ModifiedEntry::toString).containsExactly("configmap.v1 " + apps + "/b missing");
        assertThat(report.resourceCounts()).isEqualTo(new ResourceCounts(1, 2, 0, 0, 0, 1, 0, 0));
    }

    @Test
    void handDeletionIsRestoredWhenCorrectDriftIsEnabled() {
        deploy("cfgs", apps, true, List.of(configMap(apps, "a", Map.of())));

        admin.configMaps().inNamespace(apps).withName("a").delete();

        await().atMost(WITHIN_A_SECOND).until(() ->
                admin.configMaps().inNamespace(apps).withName("a").get() != null);
        assertThat(monitor.status("cfgs").nonModified()).isTrue();
    }

    @Test
    void deploymentBecomesReadyWithinASecondOfItsStatus() {
        deploy("web", apps, false, List.of(deployment(apps, "web", "nginx:1")));
        BdStatusReport before = monitor.status("web");
        assertThat(before.ready()).isFalse();
        assertThat(before.nonReadyStatus()).extracting(Object::toString)
                .containsExactly("deployment.apps " + apps + "/web [progressing] Replicas: 0/1");
        assertThat(before.condition("Ready").message()).isEqualTo("deployment.apps " + apps + "/web [progressing] Replicas: 0/1");

        Deployment live = admin.apps().deployments().inNamespace(apps).withName("web").get();
        Long generation = live.getMetadata().getGeneration();
        live.setStatus(new DeploymentStatusBuilder().withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1)
                .withAvailableReplicas(1).withObservedGeneration(generation == null ? 1L : generation).build());
        admin.apps().deployments().inNamespace(apps).resource(live).updateStatus();

        await().atMost(WITHIN_A_SECOND).until(() -> lastReport.get() != null && lastReport.get().ready());
        assertThat(lastReport.get().nonModified()).isTrue();
        assertThat(lastReport.get().condition("Ready").isTrue()).isTrue();
    }

    @Test
    void rejectedObjectBecomesErrorStatusWhileOtherBundlesDeploy() {
        String bad = "bad-" + n;
        String locked = "locked-" + n;
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(locked).endMetadata().build()).create();
        deploy("invalid", bad, false, List.of(configMap(bad, "cfg", Map.of("bad key", "x"))));
        // the restricted identity may read, and keep its ownership records, but write nothing else
        RestrictedRoles.create(admin);
        admin.resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: restricted-read-%1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: flotilla-test-read}
                subjects: [{kind: User, name: restricted, apiGroup: rbac.authorization.k8s.io}]
                """.formatted(n), io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class)).create();
        admin.resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: restricted-records, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: flotilla-test-records}
                subjects: [{kind: User, name: restricted, apiGroup: rbac.authorization.k8s.io}]
                """.formatted(agentNamespace), io.fabric8.kubernetes.api.model.rbac.RoleBinding.class)).create();
        KubernetesClient restrictedClient = KUBE.get().newClient(KubeApiServer.User.RESTRICTED);
        await("RBAC in effect").atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                restrictedClient.secrets().inNamespace(agentNamespace).list());
        var restricted = new Deployer(restrictedClient, agentNamespace);
        DeploymentRequest forbiddenRequest = new DeploymentRequest("forbidden", "d1",
                BundleDeploymentOptions.builder().namespace(locked).build(), List.of(configMap(locked, "cfg", Map.of())));
        monitor.track(forbiddenRequest, restricted.apply(forbiddenRequest));
        deploy("good", apps, false, List.of(configMap(apps, "cfg", Map.of())));

        BdStatusReport invalid = monitor.status("invalid");
        assertThat(invalid.appliedDeploymentId()).isEqualTo("d1");
        assertThat(invalid.ready()).isFalse();
        assertThat(invalid.errApplied()).isFalse();
        assertThat(invalid.condition("Installed").message())
                .startsWith("not installed: ConfigMap \"cfg\" is invalid: data[bad key]: Invalid value: \"bad key\"");
        assertThat(invalid.condition("Ready").message()).startsWith("not ready: ConfigMap \"cfg\" is invalid");

        BdStatusReport forbidden = monitor.status("forbidden");
        assertThat(forbidden.appliedDeploymentId()).isEmpty();
        assertThat(forbidden.errApplied()).isTrue();
        assertThat(forbidden.condition("Deployed").status()).isEqualTo("False");
        assertThat(forbidden.condition("Deployed").message())
                .contains("User \"restricted\" cannot patch resource \"configmaps\"", "in the namespace \"" + locked + "\"");

        BdStatusReport good = monitor.status("good");
        assertThat(good.ready()).isTrue();
        assertThat(good.appliedDeploymentId()).isEqualTo("d1");
    }

    @Test
    void informersAreSharedPerKindAcrossBundleDeployments() {
        deploy("one", apps, false, List.of(configMap(apps, "a", Map.of())));
        deploy("two", other, false, List.of(configMap(other, "a", Map.of()), deployment(other, "web", "nginx:1")));

        assertThat(monitor.watchedKinds()).containsExactlyInAnyOrder("v1/ConfigMap", "apps/v1/Deployment");
        assertThat(monitor.trackedNames()).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void clusterScopedObjectsAreWatchedToo() {
        var role = Manifests.map("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "ClusterRole",
                "metadata", Manifests.map("name", "reader-" + n), "rules", List.of());
        deploy("rbac", apps, false, List.of(role));
        assertThat(monitor.status("rbac").ready()).isTrue();

        admin.rbac().clusterRoles().withName("reader-" + n).delete();

        await().atMost(WITHIN_A_SECOND).until(() -> lastReport.get() != null && !lastReport.get().nonModified());
        assertThat(lastReport.get().modifiedStatus()).extracting(ModifiedEntry::toString)
                .containsExactly("clusterrole.rbac.authorization.k8s.io reader-" + n + " missing");
    }

    @Test
    void forgottenBundleDeploymentIsNoLongerReported() {
        deploy("cfgs", apps, false, List.of(configMap(apps, "a", Map.of())));

        monitor.forget("cfgs");

        assertThat(monitor.trackedNames()).isEmpty();
        assertThatThrownBy(() -> monitor.status("cfgs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restartedAgentRestoresMonitoringFromOwnershipRecords() {
        deploy("cfgs", apps, false, List.of(configMap(apps, "a", Map.of("k", "v"))));
        admin.configMaps().inNamespace(apps).withName("a")
                .edit(c -> new ConfigMapBuilder(c).addToData("k", "edited").build());

        try (DeploymentMonitor restarted = new DeploymentMonitor(agentClient, new Deployer(agentClient, agentNamespace),
                bd -> { })) {
            new Deployer(agentClient, agentNamespace).loadOwnership().values().forEach(restarted::restore);

            BdStatusReport report = restarted.status("cfgs");
            assertThat(report.appliedDeploymentId()).isEqualTo("d1");
            assertThat(report.modifiedStatus()).extracting(ModifiedEntry::toString)
                    .containsExactly("configmap.v1 " + apps + "/a modified {\"data\":{\"k\":\"v\"}}");
        }
    }
}

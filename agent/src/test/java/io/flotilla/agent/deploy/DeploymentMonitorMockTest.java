package io.flotilla.agent.deploy;

import static io.flotilla.agent.deploy.Manifests.configMap;
import static io.flotilla.agent.deploy.Manifests.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeploymentMonitorMockTest {
    private final MockCluster cluster = new MockCluster();
    private final Deployer deployer = new Deployer(cluster.client);
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final AtomicReference<BdStatusReport> lastReport = new AtomicReference<>();
    private final DeploymentMonitor monitor = new DeploymentMonitor(cluster.client, deployer,
            bd -> worker.submit(() -> lastReport.set(statusOf(bd))));

    @AfterEach
    void close() {
        monitor.close();
        worker.shutdownNow();
        cluster.close();
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

    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

    @Test
    void freshConfigMapsAreReadyAndUnmodified() {
        deploy("cfgs", "apps", false, List.of(configMap("apps", "a", Map.of("k", "v")), configMap("apps", "b", Map.of())));

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
        deploy("cfgs", "apps", false, List.of(configMap("apps", "a", Map.of("k", "v"))));
        await().atMost(WITHIN_A_SECOND).until(() -> lastReport.get() != null && lastReport.get().nonModified());

        cluster.client.configMaps().inNamespace("apps").withName("a")
                .edit(c -> new ConfigMapBuilder(c).addToData("k", "edited").build());

        await().atMost(WITHIN_A_SECOND).until(() -> !lastReport.get().nonModified());
        BdStatusReport report = lastReport.get();
        assertThat(report.modifiedStatus()).containsExactly(
                new ModifiedEntry("ConfigMap", "v1", "apps", "a", false, false, false, "{\"data\":{\"k\":\"v\"}}"));
        assertThat(report.modifiedStatus().get(0)).hasToString("configmap.v1 apps/a modified {\"data\":{\"k\":\"v\"}}");
        assertThat(report.resourceCounts().modified()).isEqualTo(1);
        assertThat(report.condition("Ready").message()).isEqualTo("configmap.v1 apps/a modified {\"data\":{\"k\":\"v\"}}");
    }

    @Test
    void handEditIsRestoredWhenCorrectDriftIsEnabled() {
        deploy("cfgs", "apps", true, List.of(configMap("apps", "a", Map.of("k", "v"))));

        cluster.client.configMaps().inNamespace("apps").withName("a")
                .edit(c -> new ConfigMapBuilder(c).addToData("k", "edited").build());

        await().atMost(WITHIN_A_SECOND).until(() -> "v".equals(
                cluster.client.configMaps().inNamespace("apps").withName("a").get().getData().get("k")));
        assertThat(monitor.status("cfgs").nonModified()).isTrue();
    }

    @Test
    void handDeletionIsReportedMissing() {
        deploy("cfgs", "apps", false, List.of(configMap("apps", "a", Map.of()), configMap("apps", "b", Map.of())));

        cluster.client.configMaps().inNamespace("apps").withName("b").delete();

        await().atMost(WITHIN_A_SECOND).until(() -> lastReport.get() != null && !lastReport.get().nonModified());
        BdStatusReport report = lastReport.get();
        assertThat(report.modifiedStatus()).extracting(ModifiedEntry::toString).containsExactly("configmap.v1 apps/b missing");
        assertThat(report.resourceCounts()).isEqualTo(new ResourceCounts(1, 2, 0, 0, 0, 1, 0, 0));
    }

    @Test
    void handDeletionIsRestoredWhenCorrectDriftIsEnabled() {
        deploy("cfgs", "apps", true, List.of(configMap("apps", "a", Map.of())));

        cluster.client.configMaps().inNamespace("apps").withName("a").delete();

        await().atMost(WITHIN_A_SECOND).until(() ->
                cluster.client.configMaps().inNamespace("apps").withName("a").get() != null);
        assertThat(monitor.status("cfgs").nonModified()).isTrue();
    }

    @Test
    void deploymentBecomesReadyWithinASecondOfItsStatus() {
        deploy("web", "apps", false, List.of(deployment("apps", "web", "nginx:1")));
        BdStatusReport before = monitor.status("web");
        assertThat(before.ready()).isFalse();
        assertThat(before.nonReadyStatus()).extracting(Object::toString)
                .containsExactly("deployment.apps apps/web [progressing] Replicas: 0/1");
        assertThat(before.condition("Ready").message()).isEqualTo("deployment.apps apps/web [progressing] Replicas: 0/1");

        Deployment live = cluster.client.apps().deployments().inNamespace("apps").withName("web").get();
        Long generation = live.getMetadata().getGeneration();
        live.setStatus(new DeploymentStatusBuilder().withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1)
                .withAvailableReplicas(1).withObservedGeneration(generation == null ? 1L : generation).build());
        cluster.client.apps().deployments().inNamespace("apps").resource(live).updateStatus();

        await().atMost(WITHIN_A_SECOND).until(() -> lastReport.get() != null && lastReport.get().ready());
        assertThat(lastReport.get().nonModified()).isTrue();
        assertThat(lastReport.get().condition("Ready").isTrue()).isTrue();
    }

    @Test
    void rejectedObjectBecomesErrorStatusWhileOtherBundlesDeploy() {
        cluster.server.expect().post().withPath("/api/v1/namespaces/bad/configmaps")
                .andReturn(422, new StatusBuilder().withStatus("Failure").withCode(422).withReason("Invalid")
                        .withMessage("ConfigMap \"cfg\" is invalid: data[bad key]: Invalid value: \"bad key\"").build())
                .always();
        cluster.server.expect().post().withPath("/api/v1/namespaces/locked/configmaps")
                .andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                        .withMessage("configmaps is forbidden: User \"agent\" cannot create resource \"configmaps\"").build())
                .always();

        deploy("invalid", "bad", false, List.of(configMap("bad", "cfg", Map.of("bad key", "x"))));
        deploy("forbidden", "locked", false, List.of(configMap("locked", "cfg", Map.of())));
        deploy("good", "apps", false, List.of(configMap("apps", "cfg", Map.of())));

        BdStatusReport invalid = monitor.status("invalid");
        assertThat(invalid.appliedDeploymentId()).isEqualTo("d1");
        assertThat(invalid.ready()).isFalse();
        assertThat(invalid.errApplied()).isFalse();
        assertThat(invalid.condition("Installed").message())
                .isEqualTo("not installed: ConfigMap \"cfg\" is invalid: data[bad key]: Invalid value: \"bad key\"");
        assertThat(invalid.condition("Ready").message()).startsWith("not ready: ConfigMap \"cfg\" is invalid");

        BdStatusReport forbidden = monitor.status("forbidden");
        assertThat(forbidden.appliedDeploymentId()).isEmpty();
        assertThat(forbidden.errApplied()).isTrue();
        assertThat(forbidden.condition("Deployed").status()).isEqualTo("False");
        assertThat(forbidden.condition("Deployed").message())
                .isEqualTo("configmaps is forbidden: User \"agent\" cannot create resource \"configmaps\"");

        BdStatusReport good = monitor.status("good");
        assertThat(good.ready()).isTrue();
        assertThat(good.appliedDeploymentId()).isEqualTo("d1");
    }

    @Test
    void informersAreSharedPerKindAcrossBundleDeployments() {
        deploy("one", "apps", false, List.of(configMap("apps", "a", Map.of())));
        deploy("two", "other", false, List.of(configMap("other", "a", Map.of()), deployment("other", "web", "nginx:1")));

        assertThat(monitor.watchedKinds()).containsExactlyInAnyOrder("v1/ConfigMap", "apps/v1/Deployment");
        assertThat(monitor.trackedNames()).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void clusterScopedObjectsAreWatchedToo() {
        var role = Manifests.map("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "ClusterRole",
                "metadata", Manifests.map("name", "reader"), "rules", List.of());
        deploy("rbac", "apps", false, List.of(role));
        assertThat(monitor.status("rbac").ready()).isTrue();

        cluster.client.rbac().clusterRoles().withName("reader").delete();

        await().atMost(WITHIN_A_SECOND).until(() -> lastReport.get() != null && !lastReport.get().nonModified());
        assertThat(lastReport.get().modifiedStatus()).extracting(ModifiedEntry::toString)
                .containsExactly("clusterrole.rbac.authorization.k8s.io reader missing");
    }

    @Test
    void forgottenBundleDeploymentIsNoLongerReported() {
        deploy("cfgs", "apps", false, List.of(configMap("apps", "a", Map.of())));

        monitor.forget("cfgs");

        assertThat(monitor.trackedNames()).isEmpty();
        assertThatThrownBy(() -> monitor.status("cfgs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restartedAgentRestoresMonitoringFromOwnershipRecords() {
        deploy("cfgs", "apps", false, List.of(configMap("apps", "a", Map.of("k", "v"))));
        cluster.client.configMaps().inNamespace("apps").withName("a")
                .edit(c -> new ConfigMapBuilder(c).addToData("k", "edited").build());

        try (DeploymentMonitor restarted = new DeploymentMonitor(cluster.client, new Deployer(cluster.client), bd -> { })) {
            new Deployer(cluster.client).loadOwnership().values().forEach(restarted::restore);

            BdStatusReport report = restarted.status("cfgs");
            assertThat(report.appliedDeploymentId()).isEqualTo("d1");
            assertThat(report.modifiedStatus()).extracting(ModifiedEntry::toString)
                    .containsExactly("configmap.v1 apps/a modified {\"data\":{\"k\":\"v\"}}");
        }
    }
}

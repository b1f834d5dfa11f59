package io.flotilla.agent.deploy;

import static io.flotilla.agent.deploy.Manifests.configMap;
import static io.flotilla.agent.deploy.Manifests.deployment;
import static io.flotilla.agent.deploy.Manifests.map;
import static io.flotilla.agent.deploy.Manifests.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.flotilla.agent.hooks.HelmHooks;
import io.flotilla.agent.model.Maps;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
import io.flotilla.agent.status.ApplyFailure;
import io.flotilla.agent.status.BdStatusReport;
import io.flotilla.agent.status.Condition;
import io.flotilla.agent.status.ResourceEntry;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.testkit.KubeApiServer;
import io.flotilla.testkit.KubeApiServers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Helm hooks through the Deployer against a real kube-apiserver (server-side apply of the release's objects, real
 * validation of the hook Jobs and Pods). No controller-manager runs: a watch in the test plays the Job controller
 * and writes {@code Complete} or {@code Failed} into the hook Jobs' status as the admin user. The order of events
 * is read from the API server's audit log. Every test works in namespaces of its own.
 */
class HelmHooksKubeIT {
    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static final String BACKOFF = "BackoffLimitExceeded: Job has reached the specified backoff limit";

    private final int n = TESTS.incrementAndGet();
    private final String ns = "hooks-" + n;
    private final KubernetesClient admin = KUBE.get().client();
    private final KubernetesClient agentClient = KUBE.get().newClient(KubeApiServer.User.AGENT);
    private final Deployer deployer = new Deployer(agentClient, "flotilla-system-hooks-" + n);
    /** Job name → what the simulated Job controller does with it: "complete", "fail" or absent (runs forever). */
    private final Map<String, String> jobOutcomes = new ConcurrentHashMap<>();
    private final List<String> jobsSeen = new CopyOnWriteArrayList<>();
    private Watch jobController;

    @BeforeEach
    void startJobController() {
        jobController = admin.batch().v1().jobs().inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action != Action.ADDED) {
                    return;
                }
                jobsSeen.add(job.getMetadata().getName());
                String outcome = jobOutcomes.get(job.getMetadata().getName());
                if (outcome != null) {
                    finish(job, "complete".equals(outcome));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    @AfterEach
    void stop() {
        jobController.close();
        agentClient.close();
    }

    /** What the Job controller writes when a Job ends (1.32 validates it: terminal conditions need their causes). */
    private void finish(Job job, boolean succeeded) {
        String now = Instant.now().toString();
        List<JobCondition> conditions = new ArrayList<>();
        var status = new JobStatusBuilder().withStartTime(now);
        if (succeeded) {
            conditions.add(new JobConditionBuilder().withType("SuccessCriteriaMet").withStatus("True")
                    .withReason("CompletionsReached").withMessage("Reached expected number of succeeded pods")
                    .withLastTransitionTime(now).withLastProbeTime(now).build());
            conditions.add(new JobConditionBuilder().withType("Complete").withStatus("True")
                    .withReason("CompletionsReached").withMessage("Reached expected number of succeeded pods")
                    .withLastTransitionTime(now).withLastProbeTime(now).build());
            status.withSucceeded(1).withCompletionTime(now);
        } else {
            conditions.add(new JobConditionBuilder().withType("FailureTarget").withStatus("True")
                    .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
                    .withLastTransitionTime(now).withLastProbeTime(now).build());
            conditions.add(new JobConditionBuilder().withType("Failed").withStatus("True")
                    .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
                    .withLastTransitionTime(now).withLastProbeTime(now).build());
            status.withFailed(1);
        }
        job.setStatus(status.withConditions(conditions).build());
        admin.batch().v1().jobs().inNamespace(ns).resource(job).updateStatus();
    }

    private BundleDeploymentOptions options(int timeoutSeconds, boolean atomic) {
        var helm = BundleDeploymentOptions.HelmOptions.builder().timeoutSeconds(timeoutSeconds);
        if (atomic) {
            helm.atomic(true);
        }
        return BundleDeploymentOptions.builder().namespace(ns).helm(helm.build()).build();
    }

    private DeploymentRequest request(String id, List<Map<String, Object>> objects) {
        return new DeploymentRequest("web", id, options(30, false), objects);
    }

    private Map<String, Object> job(String name, String events, String... annotations) {
        Map<String, Object> metadata = meta(ns, name);
        Map<String, Object> a = map(HelmHooks.HOOK_ANNOTATION, events);
        for (int i = 0; i < annotations.length; i += 2) {
            a.put(annotations[i], annotations[i + 1]);
        }
        metadata.put("annotations", a);
        return map("apiVersion", "batch/v1", "kind", "Job", "metadata", metadata,
                "spec", map("backoffLimit", 0, "template", map("spec", map("restartPolicy", "Never",
                        "containers", List.of(map("name", "main", "image", "busybox"))))));
    }

    private Map<String, Object> hookConfigMap(String name, String events, String weight) {
        Map<String, Object> cm = configMap(ns, name, Map.of("k", "v"));
        Maps.child(cm, "metadata").put("annotations", map(HelmHooks.HOOK_ANNOTATION, events,
                HelmHooks.WEIGHT_ANNOTATION, weight));
        return cm;
    }

    private Map<String, Object> testPod(String name) {
        Map<String, Object> metadata = meta(ns, name);
        metadata.put("annotations", map(HelmHooks.HOOK_ANNOTATION, "test"));
        return map("apiVersion", "v1", "kind", "Pod", "metadata", metadata,
                "spec", map("restartPolicy", "Never", "containers", List.of(map("name", "t", "image", "busybox"))));
    }

    /** Ordinary objects, a pre-install Job (weight -5) and ConfigMap (weight 0), a post-install Job, a test Pod. */
    private List<Map<String, Object>> chart() {
        return List.of(
                configMap(ns, "app-config", Map.of("a", "1")),
                job("migrate", "pre-install,pre-upgrade", HelmHooks.WEIGHT_ANNOTATION, "-5",
                        HelmHooks.DELETE_POLICY_ANNOTATION, "before-hook-creation,hook-succeeded"),
                hookConfigMap("hook-config", "pre-install", "0"),
                deployment(ns, "web", "nginx:1"),
                job("smoke", "post-install"),
                testPod("web-test"));
    }

    private int mark() {
        KUBE.get().awaitAuditBarrier();
        return KUBE.get().requests(e -> true).size();
    }

    /**
     * The writes to this test's namespace since {@code mark}, by anyone, in the order the server completed them:
     * {@code "verb resource/name[/subresource]"}, e.g. {@code "create jobs/migrate"}, {@code "update jobs/migrate/status"},
     * {@code "patch configmaps/app-config"} (server-side apply).
     */
    private List<String> writesSince(int mark) {
        KUBE.get().awaitAuditBarrier();
        List<JsonNode> events = KUBE.get().requests(e -> true);
        return events.subList(mark, events.size()).stream()
                .filter(KubeApiServer::isWrite)
                .filter(e -> ns.equals(e.path("objectRef").path("namespace").asText()))
                .map(e -> {
                    JsonNode ref = e.path("objectRef");
                    String sub = ref.path("subresource").asText();
                    return e.path("verb").asText() + " " + ref.path("resource").asText() + "/"
                            + ref.path("name").asText() + (sub.isEmpty() ? "" : "/" + sub);
                }).toList();
    }

    private boolean exists(String apiVersion, String kind, String name) {
        return admin.genericKubernetesResources(apiVersion, kind).inNamespace(ns).withName(name).get() != null;
    }

    @Test
    void installRunsPreHooksInOrderThenTheObjectsThenPostHooksAndNeverTheTestPod() {
        jobOutcomes.put("migrate", "complete");
        jobOutcomes.put("smoke", "complete");
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(ns).endMetadata().build()).create();
        int mark = mark();

        ApplyOutcome outcome = deployer.apply(request("d1", chart()));

        assertThat(outcome.failure()).isNull();
        assertThat(writesSince(mark)).containsExactly(
                "create jobs/migrate", "update jobs/migrate/status",
                "create configmaps/hook-config",
                "delete jobs/migrate",
                "patch configmaps/app-config", "patch deployments/web",
                "create jobs/smoke", "update jobs/smoke/status");
        assertThat(exists("batch/v1", "Job", "migrate")).as("hook-succeeded deleted it").isFalse();
        assertThat(exists("v1", "Pod", "web-test")).isFalse();
        assertThat(admin.batch().v1().jobs().inNamespace(ns).withName("smoke").get().getMetadata().getLabels())
                .containsEntry(Ownership.BD_LABEL, "web");
        assertThat(outcome.owned()).extracting(ObjectRef::name).containsExactlyInAnyOrder("app-config", "web");
        OwnedState record = deployer.loadOwnership().get("web");
        assertThat(record.deploymentId()).isEqualTo("d1");
        assertThat(record.owned()).extracting(ObjectRef::name).containsExactlyInAnyOrder("app-config", "web");

        try (DeploymentMonitor monitor = new DeploymentMonitor(agentClient, deployer, bd -> { })) {
            monitor.track(request("d1", chart()), outcome);
            BdStatusReport status = monitor.status("web");
            assertThat(status.resources()).extracting(ResourceEntry::name).containsExactly("app-config", "web");
            assertThat(status.modifiedStatus()).as("the deleted hook Job and the test Pod are not missing").isEmpty();
            assertThat(status.resourceCounts().desiredReady()).isEqualTo(2);
        }
    }

    @Test
    void sameDeploymentAppliedAgainRunsNoHook() {
        jobOutcomes.put("migrate", "complete");
        jobOutcomes.put("smoke", "complete");
        deployer.apply(request("d1", chart()));
        int mark = mark();

        ApplyOutcome again = deployer.apply(request("d1", chart()));
        Deployer restarted = new Deployer(agentClient, "flotilla-system-hooks-" + n);
        ApplyOutcome afterRestart = restarted.apply(restarted.loadOwnership().get("web").request());

        assertThat(again.failure()).isNull();
        assertThat(afterRestart.failure()).isNull();
        assertThat(writesSince(mark)).isEmpty();
        assertThat(jobsSeen).containsExactly("migrate", "smoke");
    }

    @Test
    void failingPreInstallJobFailsTheDeploymentWithItsMessageAndAppliesNothing() {
        jobOutcomes.put("migrate", "fail");
        jobOutcomes.put("smoke", "complete");

        ApplyOutcome outcome = deployer.apply(request("d1", chart()));

        String message = "pre-install hook job.batch " + ns + "/migrate failed: " + BACKOFF;
        assertThat(outcome.failure()).isEqualTo(ApplyFailure.errApplied(message));
        assertThat(outcome.appliedDeploymentId()).isEmpty();
        assertThat(exists("v1", "ConfigMap", "app-config")).isFalse();
        assertThat(exists("apps/v1", "Deployment", "web")).isFalse();
        assertThat(exists("v1", "ConfigMap", "hook-config")).isFalse();
        assertThat(jobsSeen).containsExactly("migrate");
        try (DeploymentMonitor monitor = new DeploymentMonitor(agentClient, deployer, bd -> { })) {
            monitor.track(request("d1", chart()), outcome);
            BdStatusReport status = monitor.status("web");
            assertThat(status.errApplied()).isTrue();
            assertThat(status.message()).isEqualTo(message);
            assertThat(status.conditions()).contains(Condition.failed("Deployed", message));
        }
    }

    @Test
    void upgradeRunsPreUpgradeHooksOnly() {
        jobOutcomes.put("migrate", "complete");
        jobOutcomes.put("first-only", "complete");
        jobOutcomes.put("notify", "complete");
        var hooks = List.of(job("migrate", "pre-install,pre-upgrade"), job("first-only", "pre-install"),
                job("notify", "post-upgrade"));
        List<Map<String, Object>> d1 = new ArrayList<>(hooks);
        d1.add(configMap(ns, "app-config", Map.of("a", "1")));
        deployer.apply(request("d1", d1));
        int mark = mark();

        List<Map<String, Object>> d2 = new ArrayList<>(hooks);
        d2.add(configMap(ns, "app-config", Map.of("a", "2")));
        ApplyOutcome upgrade = deployer.apply(request("d2", d2));

        assertThat(upgrade.failure()).isNull();
        assertThat(writesSince(mark)).containsExactly("delete jobs/migrate", "create jobs/migrate",
                "update jobs/migrate/status", "patch configmaps/app-config", "create jobs/notify",
                "update jobs/notify/status");
    }

    @Test
    void atomicUpgradeThatFailsRollsBackToThePreviousObjects() {
        var d1 = List.of(configMap(ns, "app-config", Map.of("a", "1", "b", "1")));
        deployer.apply(new DeploymentRequest("web", "d1", options(30, true), d1));
        jobOutcomes.put("check", "fail");

        ApplyOutcome outcome = deployer.apply(new DeploymentRequest("web", "d2", options(30, true), List.of(
                configMap(ns, "app-config", Map.of("a", "2", "c", "2")), configMap(ns, "added", Map.of()),
                job("check", "post-upgrade"))));

        assertThat(outcome.failure()).isEqualTo(ApplyFailure.notInstalled("failed and rolled back due to atomic: "
                + "post-upgrade hook job.batch " + ns + "/check failed: " + BACKOFF));
        assertThat(outcome.appliedDeploymentId()).isEqualTo("d2");
        assertThat(admin.configMaps().inNamespace(ns).withName("app-config").get().getData())
                .isEqualTo(Map.of("a", "1", "b", "1"));
        assertThat(exists("v1", "ConfigMap", "added")).isFalse();
        OwnedState record = deployer.loadOwnership().get("web");
        assertThat(record.deploymentId()).isEqualTo("d2");
        assertThat(record.owned()).extracting(ObjectRef::name).containsExactly("app-config");
        assertThat(record.objects()).as("the objects in the cluster: the previous deployment's").isEqualTo(d1);
    }

    @Test
    void hookThatNeverFinishesTimesOutAsNotInstalled() {
        ApplyOutcome outcome = deployer.apply(new DeploymentRequest("web", "d1", options(2, false), chart()));

        assertThat(outcome.failure()).isEqualTo(ApplyFailure.notInstalled("pre-install hook job.batch " + ns
                + "/migrate failed: timed out waiting for the condition"));
        assertThat(exists("v1", "ConfigMap", "app-config")).isFalse();
    }

    @Test
    void invalidHookObjectFailsTheHookWithTheServersMessage() {
        Map<String, Object> invalid = job("broken", "pre-install");
        Maps.child(Maps.child(Maps.child(invalid, "spec"), "template"), "spec").put("restartPolicy", "Always");

        ApplyOutcome outcome = deployer.apply(request("d1", List.of(configMap(ns, "app-config", Map.of()), invalid)));

        assertThat(outcome.failure().kind()).isEqualTo(ApplyFailure.Kind.NOT_INSTALLED);
        assertThat(outcome.failure().message()).startsWith("pre-install hook job.batch " + ns + "/broken failed: ")
                .contains("restartPolicy");
        assertThat(exists("v1", "ConfigMap", "app-config")).isFalse();
    }

    @Test
    void deletionRunsPreDeleteHooksBeforeAndPostDeleteHooksAfterTheObjects() {
        jobOutcomes.put("backup", "complete");
        jobOutcomes.put("farewell", "complete");
        deployer.apply(request("d1", List.of(configMap(ns, "app-config", Map.of()),
                job("backup", "pre-delete", HelmHooks.DELETE_POLICY_ANNOTATION, "hook-succeeded"),
                job("farewell", "post-delete"))));
        assertThat(jobsSeen).isEmpty();
        int mark = mark();

        deployer.delete("web", false, false);

        assertThat(writesSince(mark)).containsExactly("create jobs/backup", "update jobs/backup/status",
                "delete jobs/backup", "delete configmaps/app-config", "create jobs/farewell",
                "update jobs/farewell/status");
        assertThat(deployer.loadOwnership()).isEmpty();
    }

    @Test
    void failingPreDeleteHookKeepsTheObjects() {
        jobOutcomes.put("backup", "fail");
        deployer.apply(request("d1", List.of(configMap(ns, "app-config", Map.of()), job("backup", "pre-delete"))));

        assertThatThrownBy(() -> deployer.delete("web", false, false)).isInstanceOf(DeploymentException.class)
                .hasMessage("deleting BundleDeployment web: pre-delete hook job.batch " + ns + "/backup failed: "
                        + BACKOFF);
        assertThat(exists("v1", "ConfigMap", "app-config")).isTrue();
        assertThat(deployer.loadOwnership()).containsKey("web");
    }
}

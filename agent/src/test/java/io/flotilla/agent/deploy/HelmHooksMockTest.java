package io.flotilla.agent.deploy;

import static io.flotilla.agent.deploy.Manifests.configMap;
import static io.flotilla.agent.deploy.Manifests.deployment;
import static io.flotilla.agent.deploy.Manifests.map;
import static io.flotilla.agent.deploy.Manifests.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.flotilla.agent.hooks.HelmHooks;
import io.flotilla.agent.model.Json;
import io.flotilla.agent.model.Maps;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
import io.flotilla.agent.status.ApplyFailure;
import io.flotilla.agent.status.BdStatusReport;
import io.flotilla.agent.status.Condition;
import io.flotilla.agent.status.ResourceEntry;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Queue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Helm hooks against fabric8's CRUD mock: nothing runs Jobs there, so a watch in the test plays the Job controller
 * and writes {@code Complete} or {@code Failed} into the status of the hook Jobs it sees created. The order of
 * events is read from the mock's request log (one line per request, in the order the server received them).
 */
class HelmHooksMockTest {
    private static final String NS = "apps";
    /** Short enough that a missed watch event fails a test instead of hanging it for Helm's 300 s. */
    private static final int TIMEOUT = 30;
    private static final String BACKOFF = "BackoffLimitExceeded: Job has reached the specified backoff limit";

    /** The write requests, as {@code "METHOD resource[/name][/status]"}, in the order the server received them. */
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final KubernetesMockServer server = recordingServer(log);
    private final NamespacedKubernetesClient client = server.createClient();
    private final Deployer deployer = new Deployer(client);
    /** Job name → outcome the simulated Job controller gives it: "complete", "fail" or absent (runs forever). */
    private final Map<String, String> jobOutcomes = new ConcurrentHashMap<>();
    private final List<String> jobsSeen = new CopyOnWriteArrayList<>();
    private Watch jobController;

    @BeforeEach
    void startJobController() {
        jobController = client.batch().v1().jobs().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action != Action.ADDED) {
                    return;
                }
                String name = job.getMetadata().getName();
                jobsSeen.add(name);
                String outcome = jobOutcomes.get(name);
                if (outcome == null) {
                    return;
                }
                var condition = "complete".equals(outcome)
                        ? new JobConditionBuilder().withType("Complete").withStatus("True").build()
                        : new JobConditionBuilder().withType("Failed").withStatus("True")
                                .withReason("BackoffLimitExceeded")
                                .withMessage("Job has reached the specified backoff limit").build();
                job.setStatus(new JobStatusBuilder().withConditions(condition).build());
                client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job)
                        .updateStatus();
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    @AfterEach
    void close() {
        jobController.close();
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowShutdown) {
            // See MockCluster#close: the server waits for watch connections the closed client tears down.
            System.err.println("mock API server shutdown: " + slowShutdown.getMessage());
        }
    }

    private static BundleDeploymentOptions options(int timeoutSeconds, boolean atomic) {
        var helm = BundleDeploymentOptions.HelmOptions.builder().timeoutSeconds(timeoutSeconds);
        if (atomic) {
            helm.atomic(true);
        }
        return BundleDeploymentOptions.builder().namespace(NS).helm(helm.build()).build();
    }

    private static DeploymentRequest request(String id, BundleDeploymentOptions options, List<Map<String, Object>> objects) {
        return new DeploymentRequest("web", id, options, objects);
    }

    private static Map<String, Object> job(String name, String events, String... annotations) {
        Map<String, Object> metadata = meta(NS, name);
        Map<String, Object> a = map(HelmHooks.HOOK_ANNOTATION, events);
        for (int i = 0; i < annotations.length; i += 2) {
            a.put(annotations[i], annotations[i + 1]);
        }
        metadata.put("annotations", a);
        return map("apiVersion", "batch/v1", "kind", "Job", "metadata", metadata,
                "spec", map("backoffLimit", 0, "template", map("spec", map("restartPolicy", "Never",
                        "containers", List.of(map("name", "main", "image", "busybox"))))));
    }

    private static Map<String, Object> hookConfigMap(String name, String events, String weight) {
        Map<String, Object> cm = configMap(NS, name, Map.of("k", "v"));
        Maps.child(cm, "metadata").put("annotations", map(HelmHooks.HOOK_ANNOTATION, events,
                HelmHooks.WEIGHT_ANNOTATION, weight));
        return cm;
    }

    private static Map<String, Object> testPod(String name) {
        Map<String, Object> metadata = meta(NS, name);
        metadata.put("annotations", map(HelmHooks.HOOK_ANNOTATION, "test"));
        return map("apiVersion", "v1", "kind", "Pod", "metadata", metadata,
                "spec", map("restartPolicy", "Never", "containers", List.of(map("name", "t", "image", "busybox"))));
    }

    /** The chart of the scenario: ordinary objects, two weighted pre-install hooks, a post-install Job, a test Pod. */
    private static List<Map<String, Object>> chart() {
        return List.of(
                configMap(NS, "app-config", Map.of("a", "1")),
                job("migrate", "pre-install,pre-upgrade", HelmHooks.WEIGHT_ANNOTATION, "-5",
                        HelmHooks.DELETE_POLICY_ANNOTATION, "before-hook-creation,hook-succeeded"),
                hookConfigMap("hook-config", "pre-install", "0"),
                deployment(NS, "web", "nginx:1"),
                job("smoke", "post-install"),
                testPod("web-test"));
    }

    /** The CRUD mock on 127.0.0.1, logging each write to a namespace's objects before it handles it. */
    private static KubernetesMockServer recordingServer(List<String> log) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses) {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        record(log, request);
                        return super.dispatch(request);
                    }
                }, false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return server;
    }

    private static void record(List<String> log, RecordedRequest request) {
        String path = request.getPath().replaceFirst("\\?.*", "");
        String prefix = "/namespaces/" + NS + "/";
        if (request.getMethod().equals("GET") || !path.contains(prefix)) {
            return;
        }
        String resource = path.substring(path.indexOf(prefix) + prefix.length());
        if (request.getMethod().equals("POST")) {
            String body = new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
            resource += "/" + Maps.string(Json.readMap(body), "metadata", "name");
        }
        log.add(request.getMethod() + " " + resource);
    }

    /** The writes logged since the last call. */
    private List<String> writes() {
        List<String> lines = List.copyOf(log);
        log.clear();
        return lines;
    }

    private boolean exists(String apiVersion, String kind, String name) {
        return client.genericKubernetesResources(apiVersion, kind).inNamespace(NS).withName(name).get() != null;
    }

    @Test
    void installRunsPreHooksInOrderThenTheObjectsThenPostHooksAndNeverTheTestPod() {
        jobOutcomes.put("migrate", "complete");
        jobOutcomes.put("smoke", "complete");

        ApplyOutcome outcome = deployer.apply(request("d1", options(TIMEOUT, false), chart()));

        assertThat(outcome.failure()).isNull();
        assertThat(writes()).containsExactly(
                "POST jobs/migrate", "PUT jobs/migrate/status",
                "POST configmaps/hook-config",
                "DELETE jobs/migrate",
                "POST configmaps/app-config", "POST deployments/web",
                "POST jobs/smoke", "PUT jobs/smoke/status");
        assertThat(exists("batch/v1", "Job", "migrate")).as("hook-succeeded deleted it").isFalse();
        assertThat(exists("v1", "Pod", "web-test")).isFalse();
        assertThat(exists("batch/v1", "Job", "smoke")).as("no delete policy but the default").isTrue();
        assertThat(client.configMaps().inNamespace(NS).withName("hook-config").get().getMetadata().getLabels())
                .containsEntry(Ownership.BD_LABEL, "web");
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("smoke").get().getMetadata().getLabels())
                .containsEntry(Ownership.BD_LABEL, "web");
        assertThat(outcome.owned()).extracting(ObjectRef::name).containsExactlyInAnyOrder("app-config", "web");
        OwnedState record = deployer.loadOwnership().get("web");
        assertThat(record.deploymentId()).isEqualTo("d1");
        assertThat(record.owned()).extracting(ObjectRef::name).containsExactlyInAnyOrder("app-config", "web");
        assertThat(record.objects()).as("hooks kept for the delete hooks and the next upgrade").hasSize(6);
    }

    @Test
    void theMonitorNeitherCountsNorMissesHooks() {
        jobOutcomes.put("migrate", "complete");
        jobOutcomes.put("smoke", "complete");
        DeploymentRequest request = request("d1", options(TIMEOUT, false), chart());
        ApplyOutcome outcome = deployer.apply(request);

        try (DeploymentMonitor monitor = new DeploymentMonitor(client, deployer, bd -> { })) {
            monitor.track(request, outcome);
            BdStatusReport status = monitor.status("web");

            assertThat(status.resources()).extracting(ResourceEntry::name).containsExactly("app-config", "web");
            assertThat(status.modifiedStatus()).as("the deleted hook Job and the test Pod are not missing").isEmpty();
            assertThat(status.resourceCounts().desiredReady()).isEqualTo(2);
            assertThat(status.nonReadyStatus()).extracting(n -> n.ref().name()).containsExactly("web");
            assertThat(monitor.watchedKinds()).doesNotContain("batch/v1/Job", "v1/Pod");
        }
    }

    @Test
    void sameDeploymentAppliedAgainRunsNoHook() {
        jobOutcomes.put("migrate", "complete");
        jobOutcomes.put("smoke", "complete");
        deployer.apply(request("d1", options(TIMEOUT, false), chart()));
        writes();

        ApplyOutcome again = deployer.apply(request("d1", options(TIMEOUT, false), chart()));
        Deployer restarted = new Deployer(client);
        ApplyOutcome afterRestart = restarted.apply(restarted.loadOwnership().get("web").request());

        assertThat(again.failure()).isNull();
        assertThat(afterRestart.failure()).isNull();
        assertThat(writes()).isEmpty();
        assertThat(exists("batch/v1", "Job", "migrate")).isFalse();
    }

    @Test
    void failingPreInstallJobFailsTheDeploymentAndAppliesNothing() {
        jobOutcomes.put("migrate", "fail");
        jobOutcomes.put("smoke", "complete");

        ApplyOutcome outcome = deployer.apply(request("d1", options(TIMEOUT, false), chart()));

        assertThat(outcome.failure()).isEqualTo(ApplyFailure.errApplied(
                "pre-install hook job.batch apps/migrate failed: " + BACKOFF));
        assertThat(outcome.appliedDeploymentId()).isEmpty();
        assertThat(writes()).containsExactly("POST jobs/migrate", "PUT jobs/migrate/status");
        assertThat(exists("v1", "ConfigMap", "app-config")).isFalse();
        assertThat(exists("apps/v1", "Deployment", "web")).isFalse();
        assertThat(exists("v1", "ConfigMap", "hook-config")).isFalse();
        assertThat(exists("batch/v1", "Job", "migrate")).as("only hook-succeeded: kept for inspection").isTrue();
        assertThat(jobsSeen).containsExactly("migrate");

        try (DeploymentMonitor monitor = new DeploymentMonitor(client, deployer, bd -> { })) {
            monitor.track(request("d1", options(TIMEOUT, false), chart()), outcome);
            BdStatusReport status = monitor.status("web");
            assertThat(status.errApplied()).isTrue();
            assertThat(status.message()).isEqualTo("pre-install hook job.batch apps/migrate failed: " + BACKOFF);
            assertThat(status.conditions()).contains(Condition.failed("Deployed",
                    "pre-install hook job.batch apps/migrate failed: " + BACKOFF));
        }
    }

    @Test
    void retryAfterAFailedPreInstallHookInstallsAgain() {
        jobOutcomes.put("migrate", "fail");
        deployer.apply(request("d1", options(TIMEOUT, false), chart()));
        jobOutcomes.put("migrate", "complete");
        jobOutcomes.put("smoke", "complete");

        ApplyOutcome retry = deployer.apply(request("d1", options(TIMEOUT, false), chart()));

        assertThat(retry.failure()).isNull();
        assertThat(retry.appliedDeploymentId()).isEqualTo("d1");
        assertThat(jobsSeen).as("before-hook-creation replaced the failed Job").containsExactly("migrate", "migrate", "smoke");
        assertThat(exists("v1", "ConfigMap", "app-config")).isTrue();
    }

    @Test
    void hookFailedPolicyDeletesTheFailedHook() {
        jobOutcomes.put("migrate", "fail");
        ApplyOutcome outcome = deployer.apply(request("d1", options(TIMEOUT, false), List.of(
                configMap(NS, "app-config", Map.of()),
                job("migrate", "pre-install", HelmHooks.DELETE_POLICY_ANNOTATION, "hook-failed"))));

        assertThat(outcome.failure().message()).isEqualTo("pre-install hook job.batch apps/migrate failed: " + BACKOFF);
        assertThat(exists("batch/v1", "Job", "migrate")).isFalse();
    }

    @Test
    void failingPostInstallHookFailsTheDeploymentAfterTheObjects() {
        jobOutcomes.put("migrate", "complete");
        jobOutcomes.put("smoke", "fail");

        ApplyOutcome outcome = deployer.apply(request("d1", options(TIMEOUT, false), chart()));

        assertThat(outcome.failure()).isEqualTo(ApplyFailure.errApplied(
                "post-install hook job.batch apps/smoke failed: " + BACKOFF));
        assertThat(exists("v1", "ConfigMap", "app-config")).isTrue();
    }

    @Test
    void hookThatNeverFinishesTimesOutAsNotInstalled() {
        long start = System.nanoTime();

        ApplyOutcome outcome = deployer.apply(request("d1", options(1, false), chart()));

        assertThat(outcome.failure()).isEqualTo(ApplyFailure.notInstalled(
                "pre-install hook job.batch apps/migrate failed: timed out waiting for the condition"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(exists("v1", "ConfigMap", "app-config")).isFalse();
    }

    @Test
    void upgradeRunsPreUpgradeHooksAndReplacesTheEarlierHookObject() {
        var objects = List.of(configMap(NS, "app-config", Map.of("a", "1")),
                job("migrate", "pre-install,pre-upgrade"), job("first-only", "pre-install"),
                job("notify", "post-upgrade"));
        jobOutcomes.put("migrate", "complete");
        jobOutcomes.put("first-only", "complete");
        jobOutcomes.put("notify", "complete");
        deployer.apply(request("d1", options(TIMEOUT, false), objects));
        writes();

        ApplyOutcome upgrade = deployer.apply(request("d2", options(TIMEOUT, false), List.of(
                configMap(NS, "app-config", Map.of("a", "2")), objects.get(1), objects.get(2), objects.get(3))));

        assertThat(upgrade.failure()).isNull();
        assertThat(writes()).containsExactly("DELETE jobs/migrate", "POST jobs/migrate", "PUT jobs/migrate/status",
                "PATCH configmaps/app-config", "POST jobs/notify", "PUT jobs/notify/status");
    }

    @Test
    void existingObjectOfTheHooksNameThatIsNotOursFailsTheHook() {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(NS).endMetadata().build()).create();
        client.batch().v1().jobs().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata().withName("migrate").endMetadata().build()).create();

        ApplyOutcome outcome = deployer.apply(request("d1", options(TIMEOUT, false), chart()));

        assertThat(outcome.failure()).isEqualTo(ApplyFailure.errApplied(
                "pre-install hook job.batch apps/migrate failed: job.batch apps/migrate exists and is not owned by us"));
        assertThat(exists("v1", "ConfigMap", "app-config")).isFalse();
    }

    @Test
    void invalidWeightFailsTheDeploymentAsNotInstalledNamingTheObject() {
        ApplyOutcome outcome = deployer.apply(request("d1", options(TIMEOUT, false), List.of(
                configMap(NS, "app-config", Map.of()),
                job("migrate", "pre-install", HelmHooks.WEIGHT_ANNOTATION, "first"))));

        assertThat(outcome.failure()).isEqualTo(ApplyFailure.notInstalled(
                "invalid helm.sh/hook-weight \"first\" on job.batch apps/migrate: not an integer"));
        assertThat(exists("v1", "ConfigMap", "app-config")).isFalse();
        assertThat(jobsSeen).isEmpty();
    }

    @Test
    void atomicUpgradeThatFailsRollsBackToThePreviousObjects() {
        var d1 = List.of(configMap(NS, "app-config", Map.of("a", "1")));
        deployer.apply(request("d1", options(TIMEOUT, true), d1));
        jobOutcomes.put("check", "fail");

        ApplyOutcome outcome = deployer.apply(request("d2", options(TIMEOUT, true), List.of(
                configMap(NS, "app-config", Map.of("a", "2")), configMap(NS, "added", Map.of()),
                job("check", "post-upgrade"))));

        assertThat(outcome.failure()).isEqualTo(ApplyFailure.notInstalled(
                "failed and rolled back due to atomic: post-upgrade hook job.batch apps/check failed: " + BACKOFF));
        assertThat(outcome.appliedDeploymentId()).isEqualTo("d2");
        assertThat(client.configMaps().inNamespace(NS).withName("app-config").get().getData())
                .containsEntry("a", "1");
        assertThat(exists("v1", "ConfigMap", "added")).isFalse();
        OwnedState record = deployer.loadOwnership().get("web");
        assertThat(record.deploymentId()).isEqualTo("d2");
        assertThat(record.owned()).extracting(ObjectRef::name).containsExactly("app-config");
        assertThat(record.objects()).as("the objects in the cluster: the previous deployment's").isEqualTo(d1);
    }

    @Test
    void withoutAtomicAFailedUpgradeKeepsWhatItApplied() {
        deployer.apply(request("d1", options(TIMEOUT, false), List.of(configMap(NS, "app-config", Map.of("a", "1")))));
        jobOutcomes.put("check", "fail");

        ApplyOutcome outcome = deployer.apply(request("d2", options(TIMEOUT, false), List.of(
                configMap(NS, "app-config", Map.of("a", "2")), job("check", "post-upgrade"))));

        assertThat(outcome.failure().kind()).isEqualTo(ApplyFailure.Kind.ERR_APPLIED);
        assertThat(client.configMaps().inNamespace(NS).withName("app-config").get().getData())
                .containsEntry("a", "2");
    }

    @Test
    void deletionRunsPreDeleteHooksBeforeAndPostDeleteHooksAfterTheObjects() {
        jobOutcomes.put("backup", "complete");
        jobOutcomes.put("farewell", "complete");
        deployer.apply(request("d1", options(TIMEOUT, false), List.of(configMap(NS, "app-config", Map.of()),
                job("backup", "pre-delete", HelmHooks.DELETE_POLICY_ANNOTATION, "hook-succeeded"),
                job("farewell", "post-delete"))));
        assertThat(jobsSeen).isEmpty();
        writes();

        deployer.delete("web", false, false);

        assertThat(writes()).containsExactly("POST jobs/backup", "PUT jobs/backup/status", "DELETE jobs/backup",
                "DELETE configmaps/app-config", "POST jobs/farewell", "PUT jobs/farewell/status");
        assertThat(deployer.loadOwnership()).isEmpty();
    }

    @Test
    void failingPreDeleteHookKeepsTheObjects() {
        jobOutcomes.put("backup", "fail");
        deployer.apply(request("d1", options(TIMEOUT, false), List.of(configMap(NS, "app-config", Map.of()),
                job("backup", "pre-delete"))));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deployer.delete("web", false, false))
                .isInstanceOf(DeploymentException.class)
                .hasMessage("deleting BundleDeployment web: pre-delete hook job.batch apps/backup failed: " + BACKOFF);
        assertThat(exists("v1", "ConfigMap", "app-config")).isTrue();
        assertThat(deployer.loadOwnership()).containsKey("web");
    }

    @Test
    void keepResourcesRunsNoDeleteHook() {
        jobOutcomes.put("backup", "complete");
        deployer.apply(request("d1", options(TIMEOUT, false), List.of(configMap(NS, "app-config", Map.of()),
                job("backup", "pre-delete"))));

        deployer.delete("web", true, false);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(jobsSeen::isEmpty);
        assertThat(exists("v1", "ConfigMap", "app-config")).isTrue();
    }

    @Test
    void timeoutIsHelmsDefaultUnlessPositive() {
        assertThat(HookRunner.timeout(BundleDeploymentOptions.empty())).isEqualTo(Duration.ofSeconds(300));
        assertThat(HookRunner.timeout(options(0, false))).isEqualTo(Duration.ofSeconds(300));
        assertThat(HookRunner.timeout(options(-1, false))).isEqualTo(Duration.ofSeconds(300));
        assertThat(HookRunner.timeout(options(42, false))).isEqualTo(Duration.ofSeconds(42));
    }
}

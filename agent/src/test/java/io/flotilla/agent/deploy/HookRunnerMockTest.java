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
import io.flotilla.agent.hooks.HookEvent;
import io.flotilla.agent.hooks.HookPhase;
import io.flotilla.agent.hooks.HookPlan;
import io.flotilla.agent.model.Json;
import io.flotilla.agent.model.Maps;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
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
 * The hook runner against fabric8's CRUD mock: nothing runs Jobs there, so a watch in the test plays the Job
 * controller and writes {@code Complete} or {@code Failed} into the status of the hook Jobs it sees created. The
 * order of events is read from the mock's request log (one line per request, in the order the server received
 * them). The mock cannot server-side apply, so the Deployer's part (objects between the phases, the same
 * deploymentID again, atomic, delete hooks) is tested against a real API server in {@code HelmHooksKubeIT}.
 */
class HookRunnerMockTest {
    private static final String NS = "apps";
    /** Short enough that a missed watch event fails a test instead of hanging it for Helm's 300 s. */
    private static final int TIMEOUT = 30;
    private static final String BACKOFF = "BackoffLimitExceeded: Job has reached the specified backoff limit";

    /** The write requests, as {@code "METHOD resource[/name][/status]"}, in the order the server received them. */
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final KubernetesMockServer server = recordingServer(log);
    private final NamespacedKubernetesClient client = server.createClient();
    private final HookRunner runner = new HookRunner(new ApiResources(client));
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

    private static final Duration TIMEOUT_DURATION = Duration.ofSeconds(TIMEOUT);

    private static HookPlan install(List<Map<String, Object>> objects) {
        return HelmHooks.plan(objects, HelmHooks.Action.INSTALL);
    }

    @Test
    void hooksOfAPhaseRunOneAfterTheOtherInOrderAndHookSucceededOnesAreDeletedAtTheEnd() {
        jobOutcomes.put("migrate", "complete");
        jobOutcomes.put("smoke", "complete");
        HookPlan plan = install(chart());

        ObjectError pre = runner.run("web", plan.pre(), TIMEOUT_DURATION);

        assertThat(pre).isNull();
        assertThat(writes()).containsExactly(
                "POST jobs/migrate", "PUT jobs/migrate/status",
                "POST configmaps/hook-config",
                "DELETE jobs/migrate");
        assertThat(exists("batch/v1", "Job", "migrate")).isFalse();
        assertThat(client.configMaps().inNamespace(NS).withName("hook-config").get().getMetadata().getLabels())
                .containsEntry(Ownership.BD_LABEL, "web");

        ObjectError post = runner.run("web", plan.post(), TIMEOUT_DURATION);

        assertThat(post).isNull();
        assertThat(writes()).containsExactly("POST jobs/smoke", "PUT jobs/smoke/status");
        assertThat(exists("batch/v1", "Job", "smoke")).as("only the default policy: kept").isTrue();
        assertThat(exists("v1", "Pod", "web-test")).isFalse();
        assertThat(plan.skipped()).extracting(ObjectRef::name).containsExactly("web-test");
    }

    @Test
    void failedJobStopsThePhaseWithItsConditionMessage() {
        jobOutcomes.put("migrate", "fail");

        ObjectError error = runner.run("web", install(chart()).pre(), TIMEOUT_DURATION);

        assertThat(error.message()).isEqualTo("pre-install hook job.batch apps/migrate failed: " + BACKOFF);
        assertThat(error.ref()).isEqualTo(new ObjectRef("batch/v1", "Job", NS, "migrate"));
        assertThat(writes()).containsExactly("POST jobs/migrate", "PUT jobs/migrate/status");
        assertThat(exists("batch/v1", "Job", "migrate")).as("hook-succeeded only: kept for inspection").isTrue();
        assertThat(exists("v1", "ConfigMap", "hook-config")).isFalse();
    }

    @Test
    void hookFailedPolicyDeletesTheFailedHook() {
        jobOutcomes.put("migrate", "fail");

        ObjectError error = runner.run("web", install(List.of(
                job("migrate", "pre-install", HelmHooks.DELETE_POLICY_ANNOTATION, "hook-failed"))).pre(),
                TIMEOUT_DURATION);

        assertThat(error.message()).isEqualTo("pre-install hook job.batch apps/migrate failed: " + BACKOFF);
        assertThat(writes()).containsExactly("POST jobs/migrate", "PUT jobs/migrate/status", "DELETE jobs/migrate");
    }

    @Test
    void beforeHookCreationReplacesTheEarlierRunOfTheHook() {
        jobOutcomes.put("migrate", "complete");
        var phase = install(List.of(job("migrate", "pre-install"))).pre();
        runner.run("web", phase, TIMEOUT_DURATION);
        writes();

        ObjectError again = runner.run("web", phase, TIMEOUT_DURATION);

        assertThat(again).isNull();
        assertThat(writes()).containsExactly("DELETE jobs/migrate", "POST jobs/migrate", "PUT jobs/migrate/status");
        assertThat(jobsSeen).containsExactly("migrate", "migrate");
    }

    @Test
    void withoutBeforeHookCreationAnEarlierRunMakesTheCreateFail() {
        jobOutcomes.put("migrate", "complete");
        var phase = install(List.of(job("migrate", "pre-install", HelmHooks.DELETE_POLICY_ANNOTATION,
                "hook-failed"))).pre();
        runner.run("web", phase, TIMEOUT_DURATION);

        ObjectError again = runner.run("web", phase, TIMEOUT_DURATION);

        assertThat(again.code()).isEqualTo(409);
        assertThat(again.message()).startsWith("pre-install hook job.batch apps/migrate failed: ");
    }

    @Test
    void objectOfTheHooksNameThatIsNotOursIsNeitherDeletedNorReplaced() {
        client.batch().v1().jobs().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata().withName("migrate").endMetadata().build()).create();
        writes();

        ObjectError error = runner.run("web", install(chart()).pre(), TIMEOUT_DURATION);

        assertThat(error.message()).isEqualTo(
                "pre-install hook job.batch apps/migrate failed: job.batch apps/migrate exists and is not owned by us");
        assertThat(writes()).isEmpty();
    }

    @Test
    void hookThatNeverFinishesTimesOut() {
        long start = System.nanoTime();

        ObjectError error = runner.run("web", install(chart()).pre(), Duration.ofSeconds(1));

        assertThat(error.message()).isEqualTo("pre-install hook job.batch apps/migrate failed: "
                + "timed out waiting for the condition");
        assertThat(error.objectInvalid()).as("a known failure: NotReady, as §7.1").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(exists("v1", "ConfigMap", "hook-config")).isFalse();
    }

    @Test
    void podHooksWaitForTheirPhase() {
        Map<String, Object> pod = testPod("check");
        Maps.child(Maps.child(pod, "metadata"), "annotations").put(HelmHooks.HOOK_ANNOTATION, "post-install");
        var phase = install(List.of(pod)).post();
        Thread controller = new Thread(() -> {
            await().atMost(Duration.ofSeconds(20)).until(() -> client.pods().inNamespace(NS).withName("check").get() != null);
            var live = client.pods().inNamespace(NS).withName("check").get();
            live.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Failed")
                    .addNewContainerStatus().withName("t").withNewState().withNewTerminated().withExitCode(2)
                    .withReason("Error").endTerminated().endState().endContainerStatus().build());
            client.pods().inNamespace(NS).resource(live).updateStatus();
        });
        controller.start();

        ObjectError error = runner.run("web", phase, TIMEOUT_DURATION);

        assertThat(error.message()).isEqualTo("post-install hook pod.v1 apps/check failed: "
                + "container t exited with code 2 (Error)");
    }

    @Test
    void emptyPhaseDoesNothing() {
        assertThat(runner.run("web", HookPhase.none(HookEvent.PRE_INSTALL), TIMEOUT_DURATION)).isNull();
        assertThat(writes()).isEmpty();
    }

    @Test
    void timeoutIsHelmsDefaultUnlessPositive() {
        assertThat(HookRunner.timeout(BundleDeploymentOptions.empty())).isEqualTo(Duration.ofSeconds(300));
        assertThat(HookRunner.timeout(options(0, false))).isEqualTo(Duration.ofSeconds(300));
        assertThat(HookRunner.timeout(options(-1, false))).isEqualTo(Duration.ofSeconds(300));
        assertThat(HookRunner.timeout(options(42, false))).isEqualTo(Duration.ofSeconds(42));
        assertThat(HookRunner.atomic(options(0, true))).isTrue();
        assertThat(HookRunner.atomic(options(0, false))).isFalse();
    }
}

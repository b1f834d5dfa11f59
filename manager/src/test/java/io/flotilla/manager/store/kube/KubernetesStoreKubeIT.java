package io.flotilla.manager.store.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.manager.api.ApiObjects;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.store.StoreException;
import io.flotilla.manager.store.StoreListener.EventType;
import io.flotilla.manager.store.StoreOp;
import io.flotilla.testkit.KubeApiServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Kubernetes store against a real kube-apiserver with the CRDs of charts/flotilla-crds: the {@link io.flotilla.manager.store.Store}
 * contract where Kubernetes can keep it, and the documented weaker one where it cannot (batches).
 */
class KubernetesStoreKubeIT {
    @RegisterExtension
    static final KubeApiServers KUBE = KubeApiServers.one();
    private static final AtomicInteger TESTS = new AtomicInteger();

    private final String ns = "fleet-" + TESTS.incrementAndGet();
    private KubernetesClient kube;
    private KubernetesStore store;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        kube = KUBE.get().client();
        kube.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns)
                .endMetadata().build()).serverSideApply();
        store = KubernetesStore.open(kube, BundledCrds.load(), 8);
        store.addListener((type, object) -> {
            if (ns.equals(ApiObjects.namespace(object)) || object.path("metadata").path("namespace").asText().startsWith("cluster-" + ns)) {
                events.add(type + " " + object.path("kind").asText() + " " + ApiObjects.name(object));
            }
        });
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ObjectNode gitRepo(String name, String repo) {
        ObjectNode o = Json.newObject(Kind.GIT_REPO, ns, name);
        o.putObject("spec").put("repo", repo);
        return o;
    }

    @Test
    void createGetUpdateStatusAndDeleteBehaveAsTheStoreSays() {
        ObjectNode created = store.create(gitRepo("app", "https://git.example/a.git"));
        assertThat(created.path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(store.get(Json.key(created))).contains(created);

        created.with("status").put("commit", "abc");
        ObjectNode withStatus = store.updateStatus(created);
        assertThat(withStatus.path("status").path("commit").asText()).isEqualTo("abc");
        assertThat(withStatus.path("metadata").path("generation").asLong()).isEqualTo(1);

        ObjectNode changed = withStatus.deepCopy();
        changed.with("spec").put("repo", "https://git.example/b.git");
        changed.remove("status");
        ObjectNode updated = store.update(changed);
        assertThat(updated.path("metadata").path("generation").asLong()).isEqualTo(2);
        assertThat(updated.path("status").path("commit").asText()).as("update keeps the stored status").isEqualTo("abc");

        assertThatThrownBy(() -> store.update(changed)).as("stale resourceVersion").isInstanceOf(StoreException.Conflict.class);
        assertThatThrownBy(() -> store.create(gitRepo("app", "x"))).isInstanceOf(StoreException.AlreadyExists.class);

        assertThat(store.delete(Json.key(created), null)).isPresent();
        assertThat(store.get(Json.key(created))).isEmpty();
        assertThat(store.delete(Json.key(created), null)).isEmpty();
        assertThat(events).containsExactly("ADDED GitRepo app", "MODIFIED GitRepo app", "MODIFIED GitRepo app",
                "DELETED GitRepo app");
    }

    @Test
    void emptyResourceVersionUpdatesWhateverIsStored() {
        store.create(gitRepo("app", "a"));
        ObjectNode blind = gitRepo("app", "b");
        assertThat(store.update(blind).path("spec").path("repo").asText()).isEqualTo("b");
        ObjectNode statusOnly = gitRepo("app", "ignored");
        statusOnly.putObject("status").put("commit", "c1");
        ObjectNode stored = store.updateStatus(statusOnly);
        assertThat(stored.path("spec").path("repo").asText()).isEqualTo("b");
        assertThat(stored.path("status").path("commit").asText()).isEqualTo("c1");
    }

    @Test
    void writesOfOthersReachTheCacheAndTheListeners() {
        GenericKubernetesResource external = KubeObjects.toResource(gitRepo("by-kubectl", "https://git.example/k.git"));
        kube.genericKubernetesResources(KubeKinds.context(Kind.GIT_REPO)).inNamespace(ns).resource(external).create();
        ObjectKey key = new ObjectKey(Kind.GIT_REPO, ns, "by-kubectl");
        await(() -> events.size() == 1);
        assertThat(store.get(key)).isPresent();
        assertThat(events).containsExactly("ADDED GitRepo by-kubectl");
        kube.genericKubernetesResources(KubeKinds.context(Kind.GIT_REPO)).inNamespace(ns).withName("by-kubectl").delete();
        await(() -> events.size() == 2); // listeners hear of it right after the cache dropped it
        assertThat(store.get(key)).isEmpty();
        assertThat(events).containsExactly("ADDED GitRepo by-kubectl", "DELETED GitRepo by-kubectl");
    }

    @Test
    void bundleResourcesLiveInOneCompressedContentObject() {
        ObjectNode bundle = Json.newObject(Kind.BUNDLE, ns, "b1");
        ObjectNode spec = bundle.putObject("spec");
        spec.put("contentId", "s-" + "a".repeat(61));
        spec.putArray("resources").addObject().put("name", "cm.yaml").put("content", "kind: ConfigMap\n".repeat(1000));
        ObjectNode created = store.create(bundle);
        assertThat(created.path("spec").path("resources")).isEqualTo(spec.path("resources"));

        GenericKubernetesResource raw = kube.genericKubernetesResources(KubeKinds.context(Kind.BUNDLE)).inNamespace(ns)
                .withName("b1").get();
        assertThat(raw.getAdditionalProperties().toString()).doesNotContain("kind: ConfigMap");
        GenericKubernetesResource content = kube.genericKubernetesResources(KubeKinds.CONTENT).withName("s-" + "a".repeat(61)).get();
        assertThat(content).isNotNull();
        assertThat(content.getAdditionalProperties().get("content").toString().length()).as("gzip").isLessThan(2_000);

        // A second store (another replica) reads the bundle with its resources from the API alone.
        KubernetesStore other = KubernetesStore.open(kube, List.of(), 2);
        try {
            assertThat(other.get(Json.key(created)).orElseThrow().path("spec").path("resources"))
                    .isEqualTo(spec.path("resources"));
        } finally {
            other.close();
        }
        store.delete(Json.key(created), null);
        await(() -> kube.genericKubernetesResources(KubeKinds.CONTENT).withName("s-" + "a".repeat(61)).get() == null);
    }

    @Test
    void objectsInANamespaceThatDoesNotExistYetCreateIt() {
        String clusterNs = "cluster-" + ns + "-dev";
        ObjectNode bd = Json.newObject(Kind.BUNDLE_DEPLOYMENT, clusterNs, "app-web");
        bd.putObject("spec").put("deploymentID", "s-1:abc");
        store.create(bd);
        assertThat(kube.namespaces().withName(clusterNs).get()).isNotNull();
        assertThat(store.list(Kind.BUNDLE_DEPLOYMENT, clusterNs)).hasSize(1);
    }

    @Test
    void batchesWriteConcurrentlyAndReportTheFirstFailureAfterTryingAll() {
        store.create(gitRepo("taken", "x"));
        List<StoreOp> ops = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ops.add(StoreOp.create(gitRepo("r" + i, "x")));
        }
        ops.add(StoreOp.create(gitRepo("taken", "x")));
        ops.add(StoreOp.create(gitRepo("after", "x")));
        assertThatThrownBy(() -> store.apply(ops)).isInstanceOf(StoreException.AlreadyExists.class);
        // Not atomic on Kubernetes (documented): everything else took effect and was announced, in list order.
        assertThat(store.list(Kind.GIT_REPO, ns)).hasSize(42);
        assertThat(events.stream().filter(e -> e.startsWith("ADDED")).count()).isEqualTo(42);

        ObjectNode same = store.get(new ObjectKey(Kind.GIT_REPO, ns, "r1")).orElseThrow();
        same.with("spec").put("repo", "y");
        List<ObjectNode> results = store.apply(List.of(StoreOp.update(same), StoreOp.delete(Json.key(same), null)));
        assertThat(results).hasSize(2);
        assertThat(store.get(Json.key(same))).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void largeConcurrentBatchesOfStatusWritesComplete() {
        List<StoreOp> creates = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            creates.add(StoreOp.create(gitRepo("load-" + i, "https://git.example/" + i + ".git")));
        }
        List<ObjectNode> objects = store.apply(creates);
        for (int round = 0; round < 5; round++) {
            List<StoreOp> statuses = new java.util.ArrayList<>();
            for (ObjectNode o : objects) {
                ObjectNode copy = o.deepCopy();
                copy.with("status").put("round", round).put("message", "x".repeat(2000));
                statuses.add(StoreOp.updateStatus(copy));
            }
            objects = store.apply(statuses);
        }
        assertThat(store.list(Kind.GIT_REPO, ns)).allSatisfy(o -> assertThat(o.path("status").path("round").asInt()).isEqualTo(4));
        // A store opened now (a restarted manager) holds every object the moment open returns.
        KubernetesStore reopened = KubernetesStore.open(kube, List.of(), 2);
        try {
            assertThat(reopened.list(Kind.GIT_REPO, ns)).hasSize(500)
                    .allSatisfy(o -> assertThat(o.path("status").path("round").asInt()).isEqualTo(4));
        } finally {
            reopened.close();
        }
    }

    @Test
    void secretsAreNativeSecretsReadFromTheApi() {
        ObjectNode secret = Json.newObject(Kind.SECRET, ns, "git-auth");
        secret.putObject("data").put("token", java.util.Base64.getEncoder().encodeToString("t0p".getBytes()));
        store.create(secret);
        assertThat(kube.secrets().inNamespace(ns).withName("git-auth").get().getData()).containsKey("token");
        assertThat(store.get(new ObjectKey(Kind.SECRET, ns, "git-auth")).orElseThrow().path("data").path("token").asText())
                .isEqualTo(secret.path("data").path("token").asText());
        assertThat(store.list(Kind.SECRET, ns)).extracting(ApiObjects::name).contains("git-auth");
    }

    @Test
    void invalidObjectsAreRefusedWithTheServersMessage() {
        ObjectNode bad = gitRepo("Not_A_Name", "x");
        assertThatThrownBy(() -> store.create(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not_A_Name");
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

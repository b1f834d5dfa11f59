package io.flotilla.manager.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiObjects;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import io.flotilla.manager.store.StoreListener.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MvStoreStoreTest {

    @TempDir
    Path dataDir;

    private MvStoreStore store;

    @BeforeEach
    void open() {
        store = MvStoreStore.open(dataDir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static ObjectNode gitRepo(String namespace, String name, String repo) {
        ObjectNode object = ApiObjects.newObject(Kind.GIT_REPO, namespace, name);
        object.putObject("spec").put("repo", repo);
        return object;
    }

    static ObjectKey key(String namespace, String name) {
        return new ObjectKey(Kind.GIT_REPO, namespace, name);
    }

    static String rv(ObjectNode object) {
        return ApiObjects.resourceVersion(object).orElseThrow();
    }

    @Test
    void createSetsServerFieldsAndIgnoresIncomingOnes() {
        ObjectNode incoming = gitRepo("ns", "app", "https://example.com/a.git");
        ApiObjects.metadata(incoming).put("resourceVersion", "999").put("uid", "mine").put("generation", 7);

        ObjectNode created = store.create(incoming);

        assertThat(created.path("apiVersion").asText()).isEqualTo(Kind.API_VERSION);
        assertThat(UUID.fromString(created.path("metadata").path("uid").asText())).isNotNull();
        assertThat(created.path("metadata").path("creationTimestamp").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(ApiObjects.generation(created)).isEqualTo(1);
        assertThat(rv(created)).isNotEqualTo("999").matches("\\d+");
        assertThat(created.path("spec").path("repo").asText()).isEqualTo("https://example.com/a.git");
        assertThat(ApiObjects.resourceVersion(incoming)).contains("999");
        assertThat(store.get(key("ns", "app"))).contains(created);
    }

    @Test
    void resourceVersionsIncreaseWithEveryWrite() {
        ObjectNode a = store.create(gitRepo("ns", "a", "r"));
        ObjectNode b = store.create(gitRepo("ns", "b", "r"));
        ObjectNode a2 = store.update(a);
        ObjectNode deleted = store.delete(key("ns", "b"), null).orElseThrow();

        List<Long> versions = List.of(a, b, a2, deleted).stream()
                .map(o -> ApiObjects.resourceVersionNumber(rv(o))).toList();
        assertThat(versions).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void missingObjectsAreNotFound() {
        assertThat(store.get(key("ns", "none"))).isEmpty();
        assertThat(store.delete(key("ns", "none"), null)).isEmpty();
        assertThatThrownBy(() -> store.update(gitRepo("ns", "none", "r")))
                .isInstanceOf(StoreException.NotFound.class)
                .hasMessage("gitrepos \"none\" not found in namespace \"ns\"");
        assertThatThrownBy(() -> store.updateStatus(gitRepo("ns", "none", "r")))
                .isInstanceOf(StoreException.NotFound.class);
    }

    @Test
    void duplicateCreateIsAlreadyExists() {
        store.create(gitRepo("ns", "app", "r"));
        assertThatThrownBy(() -> store.create(gitRepo("ns", "app", "other")))
                .isInstanceOf(StoreException.AlreadyExists.class)
                .satisfies(e -> assertThat(((StoreException) e).key()).isEqualTo(key("ns", "app")));
        assertThat(store.get(key("ns", "app")).orElseThrow().path("spec").path("repo").asText()).isEqualTo("r");
    }

    @Test
    void staleResourceVersionIsConflictOnEveryWrite() {
        ObjectNode first = store.create(gitRepo("ns", "app", "r"));
        ObjectNode second = store.update(gitRepo("ns", "app", "r2"));
        ObjectNode stale = first.deepCopy();
        ((ObjectNode) stale.get("spec")).put("repo", "r3");

        assertThatThrownBy(() -> store.update(stale)).isInstanceOf(StoreException.Conflict.class)
                .hasMessageContaining("resourceVersion " + rv(first) + " is stale, current is " + rv(second));
        assertThatThrownBy(() -> store.updateStatus(stale)).isInstanceOf(StoreException.Conflict.class);
        assertThatThrownBy(() -> store.delete(key("ns", "app"), rv(first)))
                .isInstanceOf(StoreException.Conflict.class);
        assertThat(store.get(key("ns", "app"))).contains(second);
    }

    @Test
    void matchingOrEmptyResourceVersionIsAccepted() {
        ObjectNode created = store.create(gitRepo("ns", "app", "r"));
        ObjectNode withRv = created.deepCopy();
        ((ObjectNode) withRv.get("spec")).put("repo", "r2");
        ObjectNode updated = store.update(withRv);

        ObjectNode emptyRv = gitRepo("ns", "app", "r3");
        ApiObjects.metadata(emptyRv).put("resourceVersion", "");
        ObjectNode updatedAgain = store.update(emptyRv);

        assertThat(updated.path("spec").path("repo").asText()).isEqualTo("r2");
        assertThat(updatedAgain.path("spec").path("repo").asText()).isEqualTo("r3");
        assertThat(store.delete(key("ns", "app"), rv(updatedAgain))).isPresent();
        assertThat(store.get(key("ns", "app"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "same spec,           r, 1",
            "changed spec,        other, 2",
    })
    void updateBumpsGenerationOnlyWhenSpecChanges(String description, String newRepo, long expectedGeneration) {
        ObjectNode created = store.create(gitRepo("ns", "app", "r"));
        ObjectNode change = created.deepCopy();
        ((ObjectNode) change.get("spec")).put("repo", newRepo);
        ApiObjects.metadata(change).putObject("labels").put("env", "dev");

        ObjectNode updated = store.update(change);

        assertThat(ApiObjects.generation(updated)).isEqualTo(expectedGeneration);
        assertThat(updated.path("metadata").path("labels").path("env").asText()).isEqualTo("dev");
        assertThat(updated.path("metadata").path("uid")).isEqualTo(created.path("metadata").path("uid"));
        assertThat(updated.path("metadata").path("creationTimestamp"))
                .isEqualTo(created.path("metadata").path("creationTimestamp"));
    }

    @Test
    void removingTheSpecIsASpecChange() {
        store.create(gitRepo("ns", "app", "r"));
        ObjectNode noSpec = ApiObjects.newObject(Kind.GIT_REPO, "ns", "app");
        assertThat(ApiObjects.generation(store.update(noSpec))).isEqualTo(2);
        assertThat(ApiObjects.generation(store.update(noSpec))).isEqualTo(2);
    }

    @Test
    void updateKeepsStoredStatusAndUpdateStatusKeepsStoredSpecAndMetadata() {
        store.create(gitRepo("ns", "app", "r"));
        ObjectNode statusWrite = gitRepo("ns", "app", "ignored-spec");
        ApiObjects.metadata(statusWrite).putObject("labels").put("ignored", "label");
        statusWrite.putObject("status").put("readyClusters", 3);

        ObjectNode afterStatus = store.updateStatus(statusWrite);

        assertThat(afterStatus.path("spec").path("repo").asText()).isEqualTo("r");
        assertThat(afterStatus.path("metadata").has("labels")).isFalse();
        assertThat(afterStatus.path("status").path("readyClusters").asInt()).isEqualTo(3);
        assertThat(ApiObjects.generation(afterStatus)).isEqualTo(1);

        ObjectNode specWrite = gitRepo("ns", "app", "r2");
        specWrite.putObject("status").put("readyClusters", 99);
        ObjectNode afterSpec = store.update(specWrite);

        assertThat(afterSpec.path("spec").path("repo").asText()).isEqualTo("r2");
        assertThat(afterSpec.path("status").path("readyClusters").asInt()).isEqualTo(3);
        assertThat(store.get(key("ns", "app"))).contains(afterSpec);
    }

    @Test
    void updateWithoutStoredStatusDropsIncomingStatus() {
        store.create(gitRepo("ns", "app", "r"));
        ObjectNode withStatus = gitRepo("ns", "app", "r");
        withStatus.putObject("status").put("readyClusters", 99);

        assertThat(store.update(withStatus).has("status")).isFalse();
    }

    @Test
    void listSortsByNamespaceThenNameAndFiltersByNamespaceAndKind() {
        for (String[] nsName : new String[][]{{"b", "x"}, {"a-b", "a"}, {"a", "z"}, {"a", "b"}, {"a", "b-c"}}) {
            store.create(gitRepo(nsName[0], nsName[1], "r"));
        }
        store.create(ApiObjects.newObject(Kind.CLUSTER, "a", "c1"));
        store.create(ApiObjects.newObject(Kind.BUNDLE, "a", "app"));

        assertThat(store.list(Kind.GIT_REPO, null)).extracting(o -> ApiObjects.namespace(o) + "/" + ApiObjects.name(o))
                .containsExactly("a/b", "a/b-c", "a/z", "a-b/a", "b/x");
        assertThat(store.list(Kind.GIT_REPO, "a")).extracting(ApiObjects::name).containsExactly("b", "b-c", "z");
        assertThat(store.list(Kind.GIT_REPO, "c")).isEmpty();
        assertThat(store.list(Kind.CLUSTER, null)).extracting(ApiObjects::name).containsExactly("c1");
        assertThat(store.list(Kind.CLUSTER_GROUP, null)).isEmpty();
    }

    @Test
    void malformedObjectsAreRejected() {
        ObjectNode unknownKind = gitRepo("ns", "a", "r").put("kind", "Pod");
        ObjectNode slash = gitRepo("ns", "a/b", "r");
        ObjectNode noName = gitRepo("ns", "", "r");

        assertThatThrownBy(() -> store.create(unknownKind)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Pod");
        assertThatThrownBy(() -> store.create(slash)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain '/'");
        assertThatThrownBy(() -> store.create(noName)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metadata.name is required");
        assertThat(store.list(Kind.GIT_REPO, null)).isEmpty();
    }

    @Test
    void listenersHearEveryCommittedWriteInCommitOrder() {
        List<String> heard = new ArrayList<>();
        store.addListener((type, object) -> heard.add(type + " " + ApiObjects.name(object) + " " + rv(object)));
        store.addListener((type, object) -> {
            throw new IllegalStateException("a failing listener neither stops the others nor the writer");
        });

        ObjectNode a = store.create(gitRepo("ns", "a", "r"));
        ObjectNode withStatus = a.deepCopy();
        withStatus.putObject("status").put("readyClusters", 1);
        ObjectNode a2 = store.updateStatus(withStatus);
        assertThatThrownBy(() -> store.create(gitRepo("ns", "a", "r")))
                .isInstanceOf(StoreException.AlreadyExists.class);
        ObjectNode gone = store.delete(key("ns", "a"), null).orElseThrow();

        assertThat(heard).containsExactly("ADDED a " + rv(a), "MODIFIED a " + rv(a2), "DELETED a " + rv(gone));
    }

    @Test
    void listenersAreCalledFromConcurrentWritersInResourceVersionOrder() throws Exception {
        List<Long> heard = new ArrayList<>();
        store.addListener((type, object) -> heard.add(ApiObjects.resourceVersionNumber(rv(object))));
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int t = thread;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        store.create(gitRepo("ns", "t" + t + "-" + i, "r"));
                        assertThat(store.list(Kind.GIT_REPO, "ns")).isNotEmpty();
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        assertThat(heard).hasSize(200).isSorted().doesNotHaveDuplicates();
        assertThat(store.list(Kind.GIT_REPO, "ns")).hasSize(200);
    }

    @Test
    void listenersMayReadTheStore() {
        List<Boolean> seen = new ArrayList<>();
        store.addListener((type, object) -> seen.add(store.get(ApiObjects.key(object)).isPresent()));

        ObjectNode a = store.create(gitRepo("ns", "a", "r"));
        store.delete(ApiObjects.key(a), null);

        assertThat(seen).containsExactly(true, false);
    }

    @Test
    void returnedAndAnnouncedObjectsAreIndependentCopies() {
        List<ObjectNode> announced = new ArrayList<>();
        store.addListener((type, object) -> announced.add(object));
        ObjectNode created = store.create(gitRepo("ns", "a", "r"));
        ((ObjectNode) created.get("spec")).put("repo", "changed by caller");

        assertThat(announced.get(0).path("spec").path("repo").asText()).isEqualTo("r");
        assertThat(store.get(key("ns", "a")).orElseThrow().path("spec").path("repo").asText()).isEqualTo("r");
    }

    @Test
    void reopenKeepsObjectsAndTheResourceVersionCounter() {
        ObjectNode a = store.create(gitRepo("ns", "a", "r"));
        ObjectNode withStatus = store.create(gitRepo("ns", "b", "r"));
        withStatus.set("status", ApiObjects.parse("{\"summary\":{\"ready\":2}}"));
        ObjectNode b = store.updateStatus(withStatus);
        ObjectNode deleted = store.delete(ApiObjects.key(a), null).orElseThrow();
        store.close();

        store = MvStoreStore.open(dataDir);

        assertThat(store.get(ApiObjects.key(a))).isEmpty();
        assertThat(store.list(Kind.GIT_REPO, null)).containsExactly(b);
        ObjectNode c = store.create(gitRepo("ns", "c", "r"));
        assertThat(ApiObjects.resourceVersionNumber(rv(c))).isGreaterThan(ApiObjects.resourceVersionNumber(rv(deleted)));
    }

    @Test
    void closeIsIdempotent() {
        store.close();
        store.close();
        store = MvStoreStore.open(dataDir);
        assertThat(store.list(Kind.GIT_REPO, null)).isEmpty();
    }

    @Test
    void batchAppliesAllOperationsInOrderInOneCommit() {
        ObjectNode existing = store.create(gitRepo("ns", "old", "r"));
        ObjectNode toDelete = store.create(gitRepo("ns", "gone", "r"));
        List<String> heard = new ArrayList<>();
        store.addListener((type, object) -> heard.add(type + " " + ApiObjects.name(object)));
        ObjectNode status = gitRepo("ns", "new", "x");
        status.putObject("status").put("ready", true);

        List<ObjectNode> results = store.apply(List.of(
                StoreOp.create(gitRepo("ns", "new", "r")),
                StoreOp.update(gitRepo("ns", "new", "r2")),
                StoreOp.updateStatus(status),
                StoreOp.update(existing.deepCopy()),
                StoreOp.delete(ApiObjects.key(toDelete), rv(toDelete))));

        assertThat(results).hasSize(5);
        assertThat(results).extracting(o -> ApiObjects.resourceVersionNumber(rv(o))).isSorted().doesNotHaveDuplicates();
        ObjectNode stored = store.get(key("ns", "new")).orElseThrow();
        assertThat(stored).isEqualTo(results.get(2));
        assertThat(stored.path("spec").path("repo").asText()).isEqualTo("r2");
        assertThat(stored.path("status").path("ready").asBoolean()).isTrue();
        assertThat(ApiObjects.generation(stored)).isEqualTo(2);
        assertThat(store.get(ApiObjects.key(toDelete))).isEmpty();
        assertThat(heard).containsExactly("ADDED new", "MODIFIED new", "MODIFIED new", "MODIFIED old", "DELETED gone");
    }

    @Test
    void batchIsAllOrNothing() {
        ObjectNode existing = store.create(gitRepo("ns", "old", "r"));
        ObjectNode stale = existing.deepCopy();
        ApiObjects.metadata(stale).put("resourceVersion", "1" + rv(existing));
        List<String> heard = new ArrayList<>();
        store.addListener((type, object) -> heard.add(type + " " + ApiObjects.name(object)));

        List<List<StoreOp>> failingBatches = List.of(
                List.of(StoreOp.create(gitRepo("ns", "new", "r")), StoreOp.update(stale)),
                List.of(StoreOp.create(gitRepo("ns", "new", "r")), StoreOp.create(gitRepo("ns", "new", "r"))),
                List.of(StoreOp.create(gitRepo("ns", "new", "r")), StoreOp.delete(key("ns", "absent"), null)),
                List.of(StoreOp.delete(ApiObjects.key(existing), null), StoreOp.update(gitRepo("ns", "old", "r2"))),
                List.of(StoreOp.create(gitRepo("ns", "new", "r")), StoreOp.create(gitRepo("ns", "bad/name", "r"))));
        for (List<StoreOp> batch : failingBatches) {
            assertThatThrownBy(() -> store.apply(batch)).isInstanceOfAny(StoreException.class,
                    IllegalArgumentException.class);
        }

        assertThat(store.list(Kind.GIT_REPO, null)).containsExactly(existing);
        assertThat(heard).isEmpty();
        ObjectNode next = store.create(gitRepo("ns", "new", "r"));
        assertThat(ApiObjects.resourceVersionNumber(rv(next)))
                .isEqualTo(ApiObjects.resourceVersionNumber(rv(existing)) + 1);
    }

    @Test
    void emptyBatchWritesNothing() {
        assertThat(store.apply(List.of())).isEmpty();
    }

    @Test
    void secondStoreOnTheSameDirectoryIsRefusedWithTheFileName() {
        assertThatThrownBy(() -> MvStoreStore.open(dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dataDir.resolve(MvStoreStore.FILE_NAME).toAbsolutePath().toString())
                .hasMessageContaining("locked");
        assertThat(store.create(gitRepo("ns", "still-usable", "r"))).isNotNull();
    }

    @Test
    void corruptFileIsRefusedWithTheFileName(@TempDir Path otherDir) throws IOException {
        Path file = otherDir.resolve(MvStoreStore.FILE_NAME);
        byte[] garbage = new byte[64 * 1024];
        Arrays.fill(garbage, (byte) 'x');
        Files.write(file, garbage);

        assertThatThrownBy(() -> MvStoreStore.open(otherDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toAbsolutePath().toString());
    }
}

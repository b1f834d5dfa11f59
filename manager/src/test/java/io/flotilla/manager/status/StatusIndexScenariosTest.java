package io.flotilla.manager.status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.flotilla.manager.status.Fixtures.bdKey;
import static io.flotilla.manager.status.Fixtures.bundle;
import static io.flotilla.manager.status.Fixtures.cluster;
import static io.flotilla.manager.status.Fixtures.condition;
import static io.flotilla.manager.status.Fixtures.gitRepo;
import static io.flotilla.manager.status.Fixtures.group;
import static io.flotilla.manager.status.Fixtures.list;
import static io.flotilla.manager.status.Fixtures.map;
import static io.flotilla.manager.status.Fixtures.notReadyBd;
import static io.flotilla.manager.status.Fixtures.readyBd;
import static io.flotilla.manager.status.Fixtures.unreportedBd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class StatusIndexScenariosTest {
    private final StatusIndex index = new StatusIndex();

    private Set<StatusKey> upsert(BdSnapshot bd) {
        return index.apply(new BdEvent.Upserted(bd));
    }

    /** GitRepo "gr": bundle a on c1, c2, c3 and (overrideTargets) bundle b only on c1, all Ready. */
    private void overrideTargetsFleet() {
        for (String c : List.of("c1", "c2", "c3")) {
            upsert(readyBd("gr", "a", c));
        }
        upsert(readyBd("gr", "b", "c1"));
    }

    private record GitRepoFigures(int ready, int desiredReady, String readyBundleDeployments, int desiredReadyClusters,
                                  int readyClusters, Object state) {
        static GitRepoFigures of(Map<String, Object> status) {
            return new GitRepoFigures((int) map(status, "summary").get("ready"),
                    (int) map(status, "summary").get("desiredReady"),
                    (String) map(status, "display").get("readyBundleDeployments"),
                    (int) status.get("desiredReadyClusters"), (int) status.get("readyClusters"),
                    map(status, "display").get("state"));
        }
    }

    static Stream<Arguments> qaScenarios() {
        return Stream.of(
                arguments("overrideTargets, all ready", List.<BdEvent>of(), new GitRepoFigures(4, 4, "4/4", 3, 3, null)),
                arguments("overrideTargets, b on c1 not ready",
                        List.of(new BdEvent.Upserted(notReadyBd("gr", "b", "c1"))),
                        new GitRepoFigures(3, 4, "3/4", 3, 2, "NotReady")),
                arguments("doNotDeploy for c2 deletes a's BD there",
                        List.of(new BdEvent.Deleted(bdKey("a", "c2"))), new GitRepoFigures(3, 3, "3/3", 2, 2, null)),
                arguments("doNotDeploy for c1 on b, a not ready on c3",
                        List.of(new BdEvent.Deleted(bdKey("b", "c1")), new BdEvent.Upserted(notReadyBd("gr", "a", "c3"))),
                        new GitRepoFigures(2, 3, "2/3", 3, 2, "NotReady")),
                arguments("all of a's BDs deleted", List.of(new BdEvent.Deleted(bdKey("a", "c1")),
                        new BdEvent.Deleted(bdKey("a", "c2")), new BdEvent.Deleted(bdKey("a", "c3"))),
                        new GitRepoFigures(1, 1, "1/1", 1, 1, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qaScenarios")
    void gitRepoFigures(String name, List<BdEvent> events, GitRepoFigures expected) {
        overrideTargetsFleet();
        events.forEach(index::apply);
        assertThat(GitRepoFigures.of(index.status(gitRepo("gr")))).isEqualTo(expected);
    }

    @Test
    void notReadyBundleIsNamedInTheReadyCondition() {
        overrideTargetsFleet();
        Set<StatusKey> changed = upsert(notReadyBd("gr", "b", "c1"));

        assertThat(changed).containsExactlyInAnyOrder(gitRepo("gr"), bundle("b"), cluster("c1"));
        Map<String, Object> gr = index.status(gitRepo("gr"));
        assertThat(condition(gr, "Ready")).containsEntry("status", "False").containsEntry("message",
                "NotReady(1) [Bundle b]; deployment.apps default/web [progressing] waiting for rollout");
        assertThat(condition(index.status(bundle("b")), "Ready")).containsEntry("message",
                "NotReady(1) [Cluster fleet-default/c1]; deployment.apps default/web [progressing] waiting for rollout");
        assertThat(list(map(gr, "summary"), "nonReadyResources")).containsExactly(Map.of("name", "b",
                "bundleState", "NotReady", "nonReadyStatus", List.of(Map.of("uid", "uid-1", "kind", "Deployment",
                        "apiVersion", "apps/v1", "namespace", "default", "name", "web", "summary",
                        Map.of("state", "in-progress", "transitioning", true, "message", List.of("waiting for rollout"))))));
    }

    @Test
    void readyGitRepoHasATrueReadyConditionAndFleetFieldOrder() {
        overrideTargetsFleet();
        Map<String, Object> gr = index.status(gitRepo("gr"));
        assertThat(gr.keySet()).containsExactly("readyClusters", "desiredReadyClusters", "summary", "display",
                "conditions", "resources", "resourceCounts", "perClusterResourceCounts");
        assertThat(list(gr, "conditions")).containsExactly(Map.of("type", "Ready", "status", "True"));
        assertThat(map(gr, "display")).containsExactly(Map.entry("readyBundleDeployments", "4/4"));
        assertThat(map(gr, "summary")).containsExactly(Map.entry("ready", 4), Map.entry("desiredReady", 4));
        assertThatThrownBy(() -> gr.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map(gr, "summary").put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    /** §1.2, §8: rollout figures beside the BD figures; each partition's summary over its own clusters. */
    @Test
    void rolloutFiguresShowPartitionsWithTheirOwnSummary() {
        upsert(readyBd("gr", "r", "c1"));
        upsert(notReadyBd("gr", "r", "c2"));
        index.apply(new BdEvent.BundleTargets(bundle("r"), Set.of(cluster("c1"), cluster("c2"), cluster("c3"))));
        Map<String, Object> figures = Map.of("maxUnavailable", 1, "unavailablePartitions", 1,
                "maxUnavailablePartitions", 0, "maxNew", 50, "newlyCreated", 0, "partitions", List.of(
                        Map.of("name", "first", "count", 1, "maxUnavailable", 1, "unavailable", 0,
                                "clusters", List.of(Fixtures.NS + "/c1")),
                        Map.of("name", "rest", "count", 2, "maxUnavailable", 1, "unavailable", 2,
                                "clusters", List.of(Fixtures.NS + "/c2", Fixtures.NS + "/c3"))));
        assertThat(index.apply(new BdEvent.BundleRollout(bundle("r"), figures))).containsExactly(bundle("r"));

        Map<String, Object> status = index.status(bundle("r"));
        assertThat(status).containsEntry("maxUnavailable", 1).containsEntry("unavailablePartitions", 1)
                .containsEntry("unavailable", 1);
        List<Map<String, Object>> partitions = list(status, "partitions");
        assertThat(partitions.get(0)).doesNotContainKey("clusters").containsEntry("name", "first");
        assertThat(map(partitions.get(0), "summary")).containsExactly(Map.entry("ready", 1), Map.entry("desiredReady", 1));
        assertThat(map(partitions.get(1), "summary")).containsEntry("notReady", 1).containsEntry("pending", 1)
                .containsEntry("ready", 0).containsEntry("desiredReady", 2);

        index.apply(new BdEvent.BundleRollout(bundle("r"), null));
        assertThat(index.status(bundle("r"))).doesNotContainKey("partitions").doesNotContainKey("maxUnavailable");
    }

    @Test
    void justDeletedBdIsNeverCountedInClusterStatus() {
        overrideTargetsFleet();
        Set<StatusKey> changed = index.apply(new BdEvent.Deleted(bdKey("a", "c2")));

        assertThat(changed).containsExactlyInAnyOrder(gitRepo("gr"), bundle("a"), cluster("c2"));
        Map<String, Object> c2 = index.status(cluster("c2"));
        assertThat(map(c2, "summary")).containsEntry("desiredReady", 0).containsEntry("ready", 0);
        assertThat(map(c2, "display")).containsEntry("readyBundles", "0/0");
        assertThat(c2).containsEntry("desiredReadyGitRepos", 0).containsEntry("readyGitRepos", 0);
        assertThat(map(c2, "resourceCounts")).containsEntry("desiredReady", 0);
        assertThat(map(index.status(bundle("a")), "display")).containsEntry("readyClusters", "2/2");
    }

    @Test
    void deletingANeverAppliedBdUpdatesTheCluster() {
        // §9 item 20: Fleet skips the cluster when the deleted BD had no appliedDeploymentID
        upsert(unreportedBd("gr", "a", "c1"));
        assertThat(map(index.status(cluster("c1")), "summary")).containsEntry("waitApplied", 1);

        Set<StatusKey> changed = index.apply(new BdEvent.Deleted(bdKey("a", "c1")));

        assertThat(changed).contains(cluster("c1"));
        assertThat(map(index.status(cluster("c1")), "summary")).containsExactly(Map.entry("ready", 0),
                Map.entry("desiredReady", 0));
    }

    @Test
    void clusterCountsAGitRepoReadyIfAnyOfItsBdsIsReady() {
        // §9 item 12
        upsert(readyBd("gr", "a", "c1"));
        upsert(notReadyBd("gr", "b", "c1"));
        upsert(notReadyBd("other", "x", "c1"));
        upsert(readyBd(null, "standalone", "c1"));

        Map<String, Object> c1 = index.status(cluster("c1"));
        assertThat(c1).containsEntry("readyGitRepos", 1).containsEntry("desiredReadyGitRepos", 2)
                .containsEntry("readyHelmOps", 0).containsEntry("desiredReadyHelmOps", 0);
        assertThat(map(c1, "summary")).containsEntry("ready", 2).containsEntry("notReady", 2)
                .containsEntry("desiredReady", 4);
        assertThat(map(c1, "display")).containsEntry("readyBundles", "2/4").containsEntry("state", "WaitCheckIn");
        assertThat(index.status(gitRepo("gr"))).containsEntry("readyClusters", 0).containsEntry("desiredReadyClusters", 1);
    }

    @Test
    void pendingTargetsAppearOnlyInTheBundleSummary() {
        // §9 item 13
        overrideTargetsFleet();
        Set<StatusKey> changed = index.apply(new BdEvent.BundleTargets(bundle("a"),
                Set.of(cluster("c1"), cluster("c2"), cluster("c3"), cluster("c4"))));

        assertThat(changed).containsExactly(bundle("a"));
        Map<String, Object> a = index.status(bundle("a"));
        assertThat(map(a, "summary")).containsEntry("pending", 1).containsEntry("ready", 3).containsEntry("desiredReady", 4);
        assertThat(list(map(a, "summary"), "nonReadyResources"))
                .containsExactly(Map.of("name", "fleet-default/c4", "bundleState", "Pending"));
        assertThat(map(a, "display")).containsEntry("readyClusters", "3/4").containsEntry("state", "Pending");
        assertThat(condition(a, "Ready")).containsEntry("message", "Pending(1) [Cluster fleet-default/c4]");
        assertThat(map(index.status(gitRepo("gr")), "summary")).doesNotContainKey("pending");

        upsert(unreportedBd("gr", "a", "c4"));
        assertThat(map(index.status(bundle("a")), "summary")).doesNotContainKey("pending").containsEntry("waitApplied", 1);
        index.apply(new BdEvent.BundleTargets(bundle("a"), Set.of(cluster("c1"))));
        assertThat(map(index.status(bundle("a")), "summary")).containsEntry("desiredReady", 4);
    }

    @Test
    void bundleUsesTheWantedDeploymentIdAndGitRepoTheStoredOne() {
        // §9 item 14: paused bundle with a staged change
        upsert(readyBd("gr", "a", "c1").withDeploymentIds("d1", "d2"));
        assertThat(map(index.status(gitRepo("gr")), "display")).containsEntry("state", "OutOfSync");
        assertThat(map(index.status(bundle("a")), "display")).containsEntry("state", "WaitApplied");

        // unpaused: the new id is released; both wait for the agent
        upsert(readyBd("gr", "a", "c1").withDeploymentIds("d2", "d2"));
        assertThat(map(index.status(gitRepo("gr")), "display")).containsEntry("state", "WaitApplied");
        assertThat(map(index.status(bundle("a")), "display")).containsEntry("state", "WaitApplied");
        assertThat(index.status(bundle("a"))).containsEntry("unavailable", 1);
    }

    @Test
    void gitUpdatingOnlyWhileASyncRuns() {
        // §9 item 19: Fleet also shows GitUpdating before the first job ran
        upsert(notReadyBd("gr", "a", "c1"));
        assertThat(map(index.status(gitRepo("gr")), "display")).containsEntry("state", "NotReady");

        index.apply(new BdEvent.GitRepoUpdating(gitRepo("gr"), true));
        assertThat(map(index.status(gitRepo("gr")), "display")).containsEntry("state", "GitUpdating");
        assertThat(index.apply(new BdEvent.GitRepoUpdating(gitRepo("gr"), false))).containsExactly(gitRepo("gr"));
        assertThat(map(index.status(gitRepo("gr")), "display")).containsEntry("state", "NotReady");
        assertThat(map(index.status(gitRepo("new")), "display")).doesNotContainKey("state");
    }

    @Test
    void gitRepoDisplayShowsTheFirstBdInTheWorstState() {
        upsert(notReadyBd("gr", "a", "c1"));
        upsert(readyBd("gr", "b", "c1").withReport(new BdReport("d0", false, true, List.of(), List.of(), false,
                ResourceCounts.ZERO, List.of(), true, "helm install failed", "", "")));
        upsert(readyBd("gr", "c", "c1").withReport(new BdReport("d0", false, true, List.of(), List.of(), false,
                ResourceCounts.ZERO, List.of(), true, "another failure", "", "")));

        Map<String, Object> display = map(index.status(gitRepo("gr")), "display");
        assertThat(display).containsEntry("state", "ErrApplied").containsEntry("message", "helm install failed")
                .containsEntry("error", true).containsEntry("readyBundleDeployments", "0/3");
        assertThat(condition(index.status(gitRepo("gr")), "Ready").get("message")).isEqualTo(
                "ErrApplied(2) [Bundle b: helm install failed]; NotReady(1) [Bundle a]; "
                        + "deployment.apps default/web [progressing] waiting for rollout");
    }

    @Test
    void bundleErrorReplacesReadyConditions() {
        upsert(readyBd("gr", "a", "c1"));
        Set<StatusKey> changed = index.apply(new BdEvent.BundleError(bundle("z"), "gr", "targeting error: bad selector"));
        index.apply(new BdEvent.BundleError(bundle("y"), "gr", "render error: bad chart"));

        assertThat(changed).containsExactlyInAnyOrder(bundle("z"), gitRepo("gr"));
        assertThat(condition(index.status(gitRepo("gr")), "Ready")).isEqualTo(Map.of("type", "Ready",
                "status", "False", "reason", "Error", "message", "render error: bad chart"));
        assertThat(condition(index.status(bundle("z")), "Ready")).containsEntry("message", "targeting error: bad selector");

        index.apply(new BdEvent.BundleError(bundle("y"), "gr", null));
        index.apply(new BdEvent.BundleError(bundle("z"), "gr", null));
        assertThat(condition(index.status(gitRepo("gr")), "Ready")).containsEntry("status", "True");
    }

    @Test
    void offlineClusterShowsInClusterAndAggregates() {
        overrideTargetsFleet();
        index.apply(new BdEvent.GroupClusters(group("all"), Set.of(cluster("c1"), cluster("c2"), cluster("c3"))));
        index.apply(new BdEvent.ClusterOnline(cluster("c1"), true));
        assertThat(map(index.status(cluster("c1")), "display")).doesNotContainKey("state");

        Set<StatusKey> changed = index.apply(new BdEvent.ClusterOnline(cluster("c1"), false));

        assertThat(changed).containsExactlyInAnyOrder(cluster("c1"), gitRepo("gr"), bundle("a"), bundle("b"), group("all"));
        Map<String, Object> c1 = index.status(cluster("c1"));
        assertThat(map(c1, "display")).containsEntry("state", "Offline");
        assertThat(condition(c1, "Offline")).containsEntry("status", "True");
        assertThat(condition(c1, "Ready")).containsEntry("status", "True");
        assertThat(index.status(gitRepo("gr"))).containsEntry("offlineClusters", 1);
        assertThat(index.status(bundle("a"))).containsEntry("offlineClusters", 1);
        assertThat(index.status(bundle("b"))).containsEntry("offlineClusters", 1);
        assertThat(index.status(group("all"))).containsEntry("offlineClusters", 1);

        index.apply(new BdEvent.ClusterOnline(cluster("c2"), false));
        assertThat(index.status(gitRepo("gr"))).containsEntry("offlineClusters", 2);
        assertThat(index.status(bundle("b"))).containsEntry("offlineClusters", 1);

        index.apply(new BdEvent.ClusterOnline(cluster("c1"), true));
        index.apply(new BdEvent.ClusterOnline(cluster("c2"), true));
        assertThat(index.status(gitRepo("gr"))).doesNotContainKey("offlineClusters");
        assertThat(index.status(group("all"))).doesNotContainKey("offlineClusters");
        assertThat(condition(index.status(cluster("c1")), "Offline")).containsEntry("status", "False");
    }

    @Test
    void clusterGroupCountsClustersAndListsTenNonReadyNames() {
        List<StatusKey> members = IntStream.rangeClosed(1, 12).mapToObj(i -> cluster(String.format("c%02d", i))).toList();
        index.apply(new BdEvent.GroupClusters(group("g"), Set.copyOf(members)));
        for (int i = 1; i <= 11; i++) {
            upsert(notReadyBd("gr", "a", String.format("c%02d", i)));
            upsert(notReadyBd("gr", "b", String.format("c%02d", i)));
        }

        Map<String, Object> g = index.status(group("g"));
        assertThat(g).containsEntry("clusterCount", 12).containsEntry("nonReadyClusterCount", 11);
        List<String> firstTen = IntStream.rangeClosed(1, 10).mapToObj(i -> String.format("c%02d", i)).toList();
        assertThat(g.get("nonReadyClusters")).isEqualTo(firstTen);
        assertThat(map(g, "display")).containsEntry("readyClusters", "1/12 (" + String.join(",", firstTen) + ")")
                .containsEntry("readyBundles", "0/22").containsEntry("state", "NotReady");
        assertThat(map(g, "summary")).containsEntry("notReady", 22);
        // §6.2: whole member lists are appended while fewer than ten are listed: 5 clusters × 2
        assertThat(list(map(g, "summary"), "nonReadyResources")).hasSize(10);
        assertThat(map(g, "resourceCounts")).containsEntry("desiredReady", 44).containsEntry("notReady", 22);
    }

    @Test
    void clusterGroupSummedListCanReachNineteenItems() {
        index.apply(new BdEvent.GroupClusters(group("g"), Set.of(cluster("c1"), cluster("c2"))));
        for (int i = 0; i < 9; i++) {
            upsert(notReadyBd("gr", "a" + i, "c1"));
        }
        for (int i = 0; i < 12; i++) {
            upsert(notReadyBd("gr", "b" + String.format("%02d", i), "c2"));
        }
        assertThat(list(map(index.status(group("g")), "summary"), "nonReadyResources")).hasSize(19);
        assertThat(list(map(index.status(cluster("c2")), "summary"), "nonReadyResources")).hasSize(10);
    }

    @Test
    void membershipChangesMoveClusterFigures() {
        upsert(notReadyBd("gr", "a", "c1"));
        index.apply(new BdEvent.ClusterGroupMembership(cluster("c1"), Set.of(group("g1"), group("g2"))));
        index.apply(new BdEvent.ClusterGroupMembership(cluster("c2"), Set.of(group("g1"))));
        assertThat(index.status(group("g1"))).containsEntry("clusterCount", 2).containsEntry("nonReadyClusterCount", 1);

        Set<StatusKey> changed = index.apply(new BdEvent.ClusterGroupMembership(cluster("c1"), Set.of(group("g2"))));

        assertThat(changed).containsExactly(group("g1"));
        assertThat(index.status(group("g1"))).containsEntry("clusterCount", 1).containsEntry("nonReadyClusterCount", 0);
        assertThat(map(index.status(group("g1")), "display")).containsEntry("readyClusters", "1/1");
        assertThat(map(index.status(group("g2")), "summary")).containsEntry("notReady", 1);

        index.apply(new BdEvent.ClusterRemoved(cluster("c1")));
        assertThat(index.status(group("g2"))).containsEntry("clusterCount", 0);
    }

    @Test
    void resourcesAndCountsPerCluster() {
        upsert(readyBd("gr", "a", "c1"));
        upsert(notReadyBd("gr", "a", "c2"));
        NonReady crash = new NonReady("", Fixtures.WEB, "error", true, false, List.of("crash"));
        Modified extra = new Modified(new ResourceRef("ConfigMap", "v1", "default", "old"), false, false, true, "");
        upsert(readyBd("gr", "a", "c3").withReport(new BdReport("d1", false, false, List.of(crash), List.of(extra), true,
                new ResourceCounts(0, 2, 0, 0, 1, 0, 0, 1), List.of(Fixtures.WEB, Fixtures.SVC), false, "", "", "")));

        Map<String, Object> gr = index.status(gitRepo("gr"));
        assertThat(map(gr, "resourceCounts")).containsEntry("ready", 3).containsEntry("desiredReady", 6)
                .containsEntry("notReady", 2).containsEntry("orphaned", 1);
        assertThat(map(gr, "perClusterResourceCounts").keySet())
                .containsExactly("fleet-default/c1", "fleet-default/c2", "fleet-default/c3");
        Map<String, Object> byId = list(gr, "resources").stream()
                .collect(Collectors.toMap(r -> r.get("type") + "/" + r.get("id"), r -> r));
        assertThat(list(gr, "resources")).extracting(r -> r.get("type") + " " + r.get("id"))
                .containsExactly("apps.deployment default/web", "configmap default/old", "service default/web");
        @SuppressWarnings("unchecked")
        Map<String, Object> web = (Map<String, Object>) byId.get("apps.deployment/default/web");
        assertThat(web).containsEntry("state", "in-progress").containsEntry("incompleteState", true)
                .containsEntry("apiVersion", "apps/v1").containsEntry("name", "web");
        assertThat(map(web, "perClusterState")).isEqualTo(Map.of("ready", List.of("fleet-default/c1"),
                "notReady", List.of("fleet-default/c3")));
        @SuppressWarnings("unchecked")
        Map<String, Object> svc = (Map<String, Object>) byId.get("service/default/web");
        // c3's BD is incomplete, so its unlisted resources are Unknown
        assertThat(svc).containsEntry("state", "Unknown");
        assertThat(map(svc, "perClusterState")).isEqualTo(Map.of("ready", List.of("fleet-default/c1", "fleet-default/c2"),
                "unknown", List.of("fleet-default/c3")));
        @SuppressWarnings("unchecked")
        Map<String, Object> old = (Map<String, Object>) byId.get("configmap/default/old");
        assertThat(old).containsEntry("state", "Orphaned");

        index.apply(new BdEvent.Deleted(bdKey("a", "c3")));
        assertThat(list(index.status(gitRepo("gr")), "resources")).hasSize(2);
        assertThat(map(index.status(gitRepo("gr")), "perClusterResourceCounts")).hasSize(2);
    }

    @Test
    void perClusterListsStopAtTheTextBudget() {
        // four clusters with 300,000-character ids: the first resource fills the 1 MiB budget
        List<String> names = IntStream.rangeClosed(1, 4).mapToObj(i -> i + "x".repeat(300_000)).toList();
        List<BdEvent> events = new ArrayList<>();
        names.forEach(n -> events.add(new BdEvent.Upserted(readyBd("gr", "a", n))));
        index.applyAll(events);
        Map<BdKey, BdSnapshot> stored = new HashMap<>();
        names.forEach(n -> stored.put(bdKey("a", n), readyBd("gr", "a", n)));
        assertThat(perClusterListSizes()).containsExactly(4, 0);

        index.apply(new BdEvent.Deleted(bdKey("a", names.get(1))));
        stored.remove(bdKey("a", names.get(1)));
        assertThat(perClusterListSizes()).containsExactly(3, 1);
        assertThat(index.status(gitRepo("gr")))
                .isEqualTo(StatusRecompute.from(stored.values(), StatusRecompute.Facts.NONE).status(gitRepo("gr")));

        index.apply(new BdEvent.Upserted(readyBd("gr", "a", names.get(1))));
        assertThat(perClusterListSizes()).containsExactly(4, 0);
    }

    /** Sizes of {@code perClusterState.ready} of the GitRepo's resources (Deployment first, then Service). */
    private List<Integer> perClusterListSizes() {
        return list(index.status(gitRepo("gr")), "resources").stream()
                .map(r -> map(r, "perClusterState").get("ready"))
                .map(ids -> ids == null ? 0 : ((List<?>) ids).size()).toList();
    }

    @Test
    void unchangedStatusIsNotReported() {
        overrideTargetsFleet();
        assertThat(upsert(readyBd("gr", "a", "c1"))).isEmpty();
        assertThat(index.apply(new BdEvent.Deleted(bdKey("nope", "c1")))).isEmpty();
        // a new report that changes only what the aggregates do not show
        assertThat(upsert(readyBd("gr", "a", "c1").withDeploymentIds("d1", "d1"))).isEmpty();
    }

    @Test
    void keysDisappearWhenEverythingIsGone() {
        overrideTargetsFleet();
        for (String c : List.of("c1", "c2", "c3")) {
            index.apply(new BdEvent.Deleted(bdKey("a", c)));
        }
        index.apply(new BdEvent.Deleted(bdKey("b", "c1")));
        assertThat(index.keys()).isEmpty();
        assertThat(index.status(gitRepo("gr"))).isEqualTo(StatusIndex.emptyStatus(StatusKey.Kind.GIT_REPO));
    }
}

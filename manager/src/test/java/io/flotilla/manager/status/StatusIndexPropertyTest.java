package io.flotilla.manager.status;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random event sequences (upserts, reports, deletes, disconnects and reconnects, group and target changes): after
 * every event the incremental index must equal a full recompute, and report exactly the objects whose status changed.
 */
class StatusIndexPropertyTest {
    private static final int ITERATIONS = 200;
    private static final int EVENTS_PER_ITERATION = 50;
    private static final String NS = "fleet-default";
    private static final List<String> CLUSTERS = List.of("c0", "c1", "c2", "c3", "c4", "c5");
    private static final List<String> BUNDLES = List.of("b0", "b1", "b2", "b3", "b4");
    private static final List<String> GROUPS = List.of("g0", "g1", "g2");
    private static final List<ResourceRef> RESOURCES = List.of(
            new ResourceRef("Deployment", "apps/v1", "default", "web"),
            new ResourceRef("Service", "v1", "default", "web"),
            new ResourceRef("ConfigMap", "v1", "default", "cfg"),
            new ResourceRef("Namespace", "v1", "", "apps"));

    static LongStream seeds() {
        return LongStream.range(0, ITERATIONS);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void incrementalEqualsRecompute(long seed) {
        Random random = new Random(seed);
        Model model = new Model();
        StatusIndex index = new StatusIndex();
        List<StatusKey> universe = universe();
        Map<StatusKey, Map<String, Object>> before = statuses(index, universe);

        for (int step = 0; step < EVENTS_PER_ITERATION; step++) {
            // mostly single events; sometimes a batch, which must report the net change
            List<BdEvent> events = new ArrayList<>();
            int batch = random.nextInt(5) == 0 ? 2 + random.nextInt(3) : 1;
            for (int i = 0; i < batch; i++) {
                BdEvent event = randomEvent(random, model);
                model.apply(event);
                events.add(event);
            }
            Set<StatusKey> reported = batch == 1 ? index.apply(events.get(0)) : index.applyAll(events);

            Map<StatusKey, Map<String, Object>> after = statuses(index, universe);
            StatusRecompute recompute = StatusRecompute.from(model.bds.values(), model.facts());
            Set<StatusKey> differing = new HashSet<>();
            for (StatusKey key : universe) {
                assertThat(after.get(key)).as("seed %d step %d %s after %s", seed, step, key, events)
                        .isEqualTo(recompute.status(key));
                if (!after.get(key).equals(before.get(key))) {
                    differing.add(key);
                }
            }
            assertThat(reported).as("seed %d step %d changed keys after %s", seed, step, events)
                    .containsExactlyInAnyOrderElementsOf(differing);
            before = after;
        }
    }

    private static List<StatusKey> universe() {
        List<StatusKey> keys = new ArrayList<>();
        keys.add(StatusKey.gitRepo(NS, "gr0"));
        keys.add(StatusKey.gitRepo(NS, "gr1"));
        BUNDLES.forEach(b -> keys.add(StatusKey.bundle(NS, b)));
        CLUSTERS.forEach(c -> keys.add(StatusKey.cluster(NS, c)));
        GROUPS.forEach(g -> keys.add(StatusKey.clusterGroup(NS, g)));
        return keys;
    }

    private static Map<StatusKey, Map<String, Object>> statuses(StatusIndex index, List<StatusKey> keys) {
        Map<StatusKey, Map<String, Object>> result = new LinkedHashMap<>();
        keys.forEach(k -> result.put(k, index.status(k)));
        return result;
    }

    /** b0, b1 come from gr0; b2, b3 from gr1; b4 from no GitRepo. */
    private static String gitRepoOf(String bundle) {
        int i = BUNDLES.indexOf(bundle);
        return i < 2 ? "gr0" : i < 4 ? "gr1" : null;
    }

    private static BdEvent randomEvent(Random r, Model model) {
        int dice = r.nextInt(100);
        if (dice < 45) {
            return new BdEvent.Upserted(randomBd(r));
        }
        if (dice < 60) {
            List<BdKey> existing = new ArrayList<>(model.bds.keySet());
            existing.sort(null);
            BdKey key = existing.isEmpty() || r.nextInt(10) == 0
                    ? new BdKey("cluster-x", "missing") : existing.get(r.nextInt(existing.size()));
            return new BdEvent.Deleted(key);
        }
        if (dice < 72) {
            return new BdEvent.ClusterOnline(randomCluster(r), r.nextBoolean());
        }
        if (dice < 75) {
            return new BdEvent.ClusterRemoved(randomCluster(r));
        }
        if (dice < 80) {
            return new BdEvent.ClusterGroupMembership(randomCluster(r), subset(r, GROUPS, StatusKey.Kind.CLUSTER_GROUP));
        }
        if (dice < 85) {
            return new BdEvent.GroupClusters(StatusKey.clusterGroup(NS, pick(r, GROUPS)),
                    subset(r, CLUSTERS, StatusKey.Kind.CLUSTER));
        }
        if (dice < 92) {
            return new BdEvent.BundleTargets(StatusKey.bundle(NS, pick(r, BUNDLES)),
                    subset(r, CLUSTERS, StatusKey.Kind.CLUSTER));
        }
        if (dice < 96) {
            String bundle = pick(r, BUNDLES);
            return new BdEvent.BundleError(StatusKey.bundle(NS, bundle), gitRepoOf(bundle),
                    r.nextBoolean() ? null : "error " + r.nextInt(3));
        }
        return new BdEvent.GitRepoUpdating(StatusKey.gitRepo(NS, "gr" + r.nextInt(2)), r.nextBoolean());
    }

    private static BdSnapshot randomBd(Random r) {
        String bundle = pick(r, BUNDLES);
        String cluster = pick(r, CLUSTERS);
        String deploymentId = "d" + r.nextInt(2);
        String staged = r.nextInt(4) == 0 ? "d" + r.nextInt(2) : deploymentId;
        return new BdSnapshot("cluster-" + cluster, bundle, NS, bundle, gitRepoOf(bundle), NS, cluster,
                deploymentId, staged, !deploymentId.equals(staged), r.nextInt(6) == 0 ? null : randomReport(r));
    }

    private static BdReport randomReport(Random r) {
        List<ResourceRef> resources = new ArrayList<>();
        RESOURCES.forEach(ref -> {
            if (r.nextInt(3) > 0) {
                resources.add(ref);
            }
        });
        List<NonReady> nonReady = new ArrayList<>();
        List<Modified> modified = new ArrayList<>();
        boolean ready = r.nextInt(3) > 0;
        boolean nonModified = r.nextInt(3) > 0;
        if (!ready) {
            nonReady.add(new NonReady("", pick(r, RESOURCES), pick(r, List.of("in-progress", "error", "updating", "")),
                    r.nextBoolean(), r.nextBoolean(), r.nextBoolean() ? List.of() : List.of("m" + r.nextInt(3))));
        }
        if (!nonModified) {
            modified.add(new Modified(pick(r, RESOURCES), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), "{}"));
        }
        ResourceCounts counts = new ResourceCounts(r.nextInt(3), r.nextInt(4), 0, r.nextInt(2), r.nextInt(2),
                r.nextInt(2), 0, r.nextInt(2));
        return new BdReport("d" + r.nextInt(2), ready, nonModified, nonReady, modified, r.nextInt(4) == 0, counts,
                resources, r.nextInt(3) == 0, pick(r, List.of("", "", "deploy failed")), pick(r, List.of("", "inst")),
                pick(r, List.of("", "mon")));
    }

    private static <T> T pick(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    private static StatusKey randomCluster(Random r) {
        return StatusKey.cluster(NS, pick(r, CLUSTERS));
    }

    private static Set<StatusKey> subset(Random r, List<String> names, StatusKey.Kind kind) {
        Set<StatusKey> result = new HashSet<>();
        for (String name : names) {
            if (r.nextBoolean()) {
                result.add(new StatusKey(kind, NS, name));
            }
        }
        return result;
    }

    /** The stored state the events describe, kept naively. */
    private static final class Model {
        final Map<BdKey, BdSnapshot> bds = new HashMap<>();
        final Map<StatusKey, Boolean> online = new HashMap<>();
        final Map<StatusKey, Set<StatusKey>> groupMembers = new HashMap<>();
        final Map<StatusKey, Set<StatusKey>> bundleTargets = new HashMap<>();
        final Map<StatusKey, StatusRecompute.BundleErrorFact> bundleErrors = new HashMap<>();
        final Set<StatusKey> updating = new HashSet<>();

        void apply(BdEvent event) {
            if (event instanceof BdEvent.Upserted u) {
                bds.put(u.bd().key(), u.bd());
            } else if (event instanceof BdEvent.Deleted d) {
                bds.remove(d.bd());
            } else if (event instanceof BdEvent.ClusterOnline o) {
                online.put(o.cluster(), o.online());
            } else if (event instanceof BdEvent.ClusterRemoved c) {
                online.remove(c.cluster());
                groupMembers.values().forEach(m -> m.remove(c.cluster()));
            } else if (event instanceof BdEvent.ClusterGroupMembership m) {
                groupMembers.forEach((g, members) -> members.remove(m.cluster()));
                m.groups().forEach(g -> groupMembers.computeIfAbsent(g, k -> new HashSet<>()).add(m.cluster()));
            } else if (event instanceof BdEvent.GroupClusters g) {
                groupMembers.put(g.group(), new HashSet<>(g.clusters()));
            } else if (event instanceof BdEvent.BundleTargets t) {
                bundleTargets.put(t.bundle(), t.clusters());
            } else if (event instanceof BdEvent.BundleError e) {
                if (e.error() == null) {
                    bundleErrors.remove(e.bundle());
                } else {
                    bundleErrors.put(e.bundle(), new StatusRecompute.BundleErrorFact(e.gitRepo(), e.error()));
                }
            } else if (event instanceof BdEvent.GitRepoUpdating g) {
                if (g.updating()) {
                    updating.add(g.gitRepo());
                } else {
                    updating.remove(g.gitRepo());
                }
            }
        }

        StatusRecompute.Facts facts() {
            Map<StatusKey, Set<StatusKey>> members = new HashMap<>();
            groupMembers.forEach((g, m) -> members.put(g, Set.copyOf(m)));
            return new StatusRecompute.Facts(online, members, bundleTargets, bundleErrors, updating);
        }
    }
}

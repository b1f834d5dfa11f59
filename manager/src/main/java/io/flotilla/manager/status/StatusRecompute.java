package io.flotilla.manager.status;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Status computed from scratch from the stored BDs and the cluster, group and bundle facts, the way Fleet's
 * reconcilers compute it (fleet-semantics §6). The reference for {@link StatusIndex}; also usable to rebuild
 * status after a restart.
 */
public final class StatusRecompute {
    private final List<BdSnapshot> bds;
    private final Facts facts;

    /** A bundle's error and the GitRepo (same namespace) it belongs to, or null. */
    public record BundleErrorFact(String gitRepo, String error) {
        public BundleErrorFact {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * Everything besides BDs that status depends on.
     *
     * @param online        cluster → agent connected (absent: never connected)
     * @param groupMembers  group → the clusters it selects
     * @param bundleTargets bundle → the clusters targeting selected
     */
    public record Facts(Map<StatusKey, Boolean> online, Map<StatusKey, Set<StatusKey>> groupMembers,
                        Map<StatusKey, Set<StatusKey>> bundleTargets, Map<StatusKey, BundleErrorFact> bundleErrors,
                        Set<StatusKey> updatingGitRepos) {
        public static final Facts NONE = new Facts(Map.of(), Map.of(), Map.of(), Map.of(), Set.of());

        public Facts {
            online = Map.copyOf(online);
            groupMembers = Map.copyOf(groupMembers);
            bundleTargets = Map.copyOf(bundleTargets);
            bundleErrors = Map.copyOf(bundleErrors);
            updatingGitRepos = Set.copyOf(updatingGitRepos);
        }
    }

    private StatusRecompute(List<BdSnapshot> bds, Facts facts) {
        this.bds = bds;
        this.facts = facts;
    }

    public static StatusRecompute from(Collection<BdSnapshot> bds, Facts facts) {
        return new StatusRecompute(List.copyOf(bds), facts);
    }

    public Map<String, Object> status(StatusKey key) {
        return switch (key.kind()) {
            case GIT_REPO -> gitRepo(key);
            case BUNDLE -> bundle(key);
            case CLUSTER -> StatusMaps.cluster(clusterView(key));
            case CLUSTER_GROUP -> group(key);
        };
    }

    private Map<String, Object> gitRepo(StatusKey key) {
        List<BdSnapshot> mine = bds.stream().filter(bd -> key.equals(bd.gitRepoKey()))
                .sorted(Comparator.comparing(BdSnapshot::key)).toList();
        TreeMap<BdKey, SummaryItem> items = new TreeMap<>();
        BundleState worst = null;
        ResourceCounts counts = ResourceCounts.ZERO;
        TreeMap<String, ResourceCounts> perCluster = new TreeMap<>();
        Map<StatusKey, Boolean> clusterAllReady = new TreeMap<>();
        for (BdSnapshot bd : mine) {
            BdState state = BdState.of(bd);
            items.put(bd.key(), SummaryItem.of(bd.name(), state, bd.report()));
            worst = BundleState.worse(worst, state.state());
            ResourceCounts c = countsOf(bd);
            counts = counts.plus(c);
            perCluster.merge(bd.clusterKey().id(), c, ResourceCounts::plus);
            clusterAllReady.merge(bd.clusterKey(), state.state() == BundleState.READY, Boolean::logicalAnd);
        }
        String worstMessage = "";
        for (BdSnapshot bd : mine) {
            BdState state = BdState.of(bd);
            if (state.state() == worst) {
                worstMessage = state.message();
                break;
            }
        }
        int readyClusters = (int) clusterAllReady.values().stream().filter(b -> b).count();
        int offline = (int) clusterAllReady.keySet().stream().filter(this::offline).count();
        String bundleError = facts.bundleErrors().entrySet().stream()
                .filter(e -> e.getKey().namespace().equals(key.namespace()) && key.name().equals(e.getValue().gitRepo()))
                .min(Map.Entry.comparingByKey(Comparator.comparing(StatusKey::name)))
                .map(e -> e.getValue().error()).orElse(null);
        return StatusMaps.gitRepo(new StatusMaps.GitRepoView(summaryOf(items.values()), worst, worstMessage,
                clusterAllReady.size(), readyClusters, offline, facts.updatingGitRepos().contains(key), bundleError,
                counts, perCluster, resources(mine)));
    }

    private static List<Map<String, Object>> resources(List<BdSnapshot> mine) {
        TreeMap<ResourceRef, TreeMap<ResourceEntryKey, String>> states = new TreeMap<>(ResourceRef.BY_TYPE_AND_ID);
        Set<ResourceRef> incomplete = new HashSet<>();
        for (BdSnapshot bd : mine) {
            BundleState state = BdState.of(bd).state();
            GitRepoResources.statesOf(bd, state).forEach((ref, s) -> {
                states.computeIfAbsent(ref, r -> new TreeMap<>()).put(new ResourceEntryKey(bd.clusterKey().id(), bd.key()), s);
                if (bd.report().incompleteState()) {
                    incomplete.add(ref);
                }
            });
        }
        List<GitRepoResources.Row> rows = new ArrayList<>();
        states.forEach((ref, perBd) -> rows.add(new GitRepoResources.Row(ref, incomplete.contains(ref), perBd,
                perBd.values().stream().filter(s -> !"Ready".equals(s)).findFirst().orElse(null))));
        return GitRepoResources.toList(rows);
    }

    private Map<String, Object> bundle(StatusKey key) {
        TreeMap<TargetKey, SummaryItem> items = new TreeMap<>();
        Set<StatusKey> withBd = new TreeSet<>();
        int unavailable = 0;
        for (BdSnapshot bd : bds) {
            if (bd.bundleKey().equals(key)) {
                items.put(new TargetKey(bd.clusterKey(), bd.key()),
                        SummaryItem.of(bd.clusterKey().id(), BdState.forBundle(bd), bd.report()));
                withBd.add(bd.clusterKey());
                unavailable += StatusIndex.isUnavailable(bd) ? 1 : 0;
            }
        }
        for (StatusKey target : facts.bundleTargets().getOrDefault(key, Set.of())) {
            if (!withBd.contains(target)) {
                items.put(new TargetKey(target, null), SummaryItem.pending(target.id()));
            }
        }
        int offline = (int) withBd.stream().filter(this::offline).count();
        BundleErrorFact error = facts.bundleErrors().get(key);
        return StatusMaps.bundle(new StatusMaps.BundleView(summaryOf(items.values()), unavailable, offline,
                error == null ? null : error.error(), null));
    }

    private StatusMaps.ClusterView clusterView(StatusKey key) {
        TreeMap<BdKey, SummaryItem> items = new TreeMap<>();
        ResourceCounts counts = ResourceCounts.ZERO;
        Map<StatusKey, Boolean> gitRepoAnyReady = new TreeMap<>();
        for (BdSnapshot bd : bds) {
            if (!bd.clusterKey().equals(key)) {
                continue;
            }
            BdState state = BdState.of(bd);
            items.put(bd.key(), SummaryItem.of(bd.name(), state, bd.report()));
            counts = counts.plus(countsOf(bd));
            if (bd.gitRepoKey() != null) {
                gitRepoAnyReady.merge(bd.gitRepoKey(), state.state() == BundleState.READY, Boolean::logicalOr);
            }
        }
        int readyGitRepos = (int) gitRepoAnyReady.values().stream().filter(b -> b).count();
        return new StatusMaps.ClusterView(summaryOf(items.values()), counts, readyGitRepos, gitRepoAnyReady.size(),
                facts.online().get(key));
    }

    private Map<String, Object> group(StatusKey key) {
        TreeSet<StatusKey> members = new TreeSet<>(facts.groupMembers().getOrDefault(key, Set.of()));
        EnumMap<BundleState, Integer> counts = new EnumMap<>(BundleState.class);
        int desiredReady = 0;
        ResourceCounts resourceCounts = ResourceCounts.ZERO;
        List<SummaryItem> items = new ArrayList<>();
        List<String> notReady = new ArrayList<>();
        int offline = 0;
        for (StatusKey member : members) {
            StatusMaps.ClusterView c = clusterView(member);
            Summary s = c.summary();
            s.counts().forEach((state, n) -> counts.merge(state, n, Integer::sum));
            desiredReady += s.desiredReady();
            resourceCounts = resourceCounts.plus(c.resourceCounts());
            if (items.size() < Summary.MAX_NON_READY) {
                items.addAll(s.nonReadyResources());
            }
            if (s.desiredReady() != s.ready()) {
                notReady.add(member.name());
            }
            offline += offline(member) ? 1 : 0;
        }
        return StatusMaps.group(new StatusMaps.GroupView(new Summary(counts, desiredReady, items), resourceCounts,
                members.size(), notReady.size(), notReady.stream().limit(Summary.MAX_NON_READY).toList(), offline));
    }

    /** IncrementState (§6.2) over items already in order. */
    private static Summary summaryOf(Collection<SummaryItem> ordered) {
        EnumMap<BundleState, Integer> counts = new EnumMap<>(BundleState.class);
        List<SummaryItem> nonReady = new ArrayList<>();
        for (SummaryItem item : ordered) {
            counts.merge(item.state(), 1, Integer::sum);
            if (item.state() != BundleState.READY && !item.name().isEmpty() && nonReady.size() < Summary.MAX_NON_READY) {
                nonReady.add(item);
            }
        }
        return new Summary(counts, ordered.size(), nonReady);
    }

    private boolean offline(StatusKey cluster) {
        return Boolean.FALSE.equals(facts.online().get(cluster));
    }

    private static ResourceCounts countsOf(BdSnapshot bd) {
        return bd.report() == null ? ResourceCounts.ZERO : bd.report().counts();
    }
}

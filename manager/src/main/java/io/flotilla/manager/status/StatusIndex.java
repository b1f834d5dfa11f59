package io.flotilla.manager.status;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * In-memory aggregation of BundleDeployment state into GitRepo, Bundle, Cluster and ClusterGroup status
 * (fleet-semantics §6). Every event updates counters, distinct-cluster counts and small ordered sets of the objects it
 * touches; nothing is rescanned. {@link StatusRecompute} computes the same result from scratch.
 * Not thread-safe: drive it from one thread (the manager's event loop).
 */
public final class StatusIndex {
    private final Map<BdKey, BdEntry> bds = new HashMap<>();
    private final Map<StatusKey, GitRepoAgg> gitRepos = new HashMap<>();
    private final Map<StatusKey, BundleAgg> bundles = new HashMap<>();
    private final Map<StatusKey, ClusterAgg> clusters = new HashMap<>();
    private final Map<StatusKey, GroupAgg> groups = new HashMap<>();
    /** The last status handed out per object, to report only real changes. */
    private final Map<StatusKey, Map<String, Object>> published = new HashMap<>();

    /** Applies one event and returns the objects whose status changed. */
    public Set<StatusKey> apply(BdEvent event) {
        return applyAll(List.of(event));
    }

    /**
     * Applies events in order and returns the objects whose status differs from before the first one. Each touched
     * object is rendered once, so a batch (a multi-BD report, the BDs created by one targeting run, the replay of
     * stored BDs at start) costs one status computation per object rather than one per event.
     */
    public Set<StatusKey> applyAll(Collection<? extends BdEvent> events) {
        Set<StatusKey> touched = new LinkedHashSet<>();
        for (BdEvent event : events) {
            dispatch(event, touched);
        }
        Set<StatusKey> changed = new LinkedHashSet<>();
        for (StatusKey key : touched) {
            pruneIfEmpty(key);
            Map<String, Object> now = status(key);
            Map<String, Object> before = published.containsKey(key) ? published.get(key) : emptyStatus(key.kind());
            if (exists(key)) {
                published.put(key, now);
            } else {
                published.remove(key);
            }
            if (!before.equals(now)) {
                changed.add(key);
            }
        }
        return Collections.unmodifiableSet(changed);
    }

    private void dispatch(BdEvent event, Set<StatusKey> touched) {
        if (event instanceof BdEvent.Upserted u) {
            BdEntry old = bds.remove(u.bd().key());
            if (old != null) {
                removeEntry(old, touched);
            }
            BdEntry entry = new BdEntry(u.bd());
            bds.put(entry.key, entry);
            addEntry(entry, touched);
        } else if (event instanceof BdEvent.Deleted d) {
            BdEntry old = bds.remove(d.bd());
            if (old != null) {
                removeEntry(old, touched);
            }
        } else if (event instanceof BdEvent.ClusterOnline o) {
            setOnline(o.cluster(), o.online(), touched);
        } else if (event instanceof BdEvent.ClusterRemoved r) {
            removeCluster(r.cluster(), touched);
        } else if (event instanceof BdEvent.ClusterGroupMembership m) {
            setMembership(m.cluster(), m.groups(), touched);
        } else if (event instanceof BdEvent.GroupClusters g) {
            setGroupClusters(g.group(), g.clusters(), touched);
        } else if (event instanceof BdEvent.BundleTargets t) {
            setTargets(t.bundle(), t.clusters(), touched);
        } else if (event instanceof BdEvent.BundleError e) {
            setBundleError(e.bundle(), e.gitRepo(), e.error(), touched);
        } else if (event instanceof BdEvent.BundleRollout r) {
            BundleAgg b = r.figures() == null ? bundles.get(r.bundle()) : bundle(r.bundle());
            if (b != null) {
                b.rollout = r.figures();
                touched.add(r.bundle());
            }
        } else if (event instanceof BdEvent.GitRepoUpdating g) {
            gitRepo(g.gitRepo()).updating = g.updating();
            touched.add(g.gitRepo());
        }
    }

    /** The current status of an object, with Fleet's JSON field names; a zero status for objects with no data. */
    public Map<String, Object> status(StatusKey key) {
        return switch (key.kind()) {
            case GIT_REPO -> gitRepos.getOrDefault(key, new GitRepoAgg()).render();
            case BUNDLE -> bundles.getOrDefault(key, new BundleAgg()).render();
            case CLUSTER -> clusters.getOrDefault(key, new ClusterAgg()).render();
            case CLUSTER_GROUP -> groups.getOrDefault(key, new GroupAgg()).render(clusters);
        };
    }

    /** BDs per state ({@code Ready}, {@code NotReady}, ...), walking every BD: for metrics scrapes, not per event. */
    public Map<String, Integer> bdStates() {
        Map<String, Integer> counts = new HashMap<>();
        for (BdEntry e : bds.values()) {
            counts.merge(e.gitRepoItem.state().wireName(), 1, Integer::sum);
        }
        return counts;
    }

    /** Objects the index currently holds data for. */
    public Set<StatusKey> keys() {
        Set<StatusKey> keys = new HashSet<>();
        keys.addAll(gitRepos.keySet());
        keys.addAll(bundles.keySet());
        keys.addAll(clusters.keySet());
        keys.addAll(groups.keySet());
        return keys;
    }

    static Map<String, Object> emptyStatus(StatusKey.Kind kind) {
        return switch (kind) {
            case GIT_REPO -> new GitRepoAgg().render();
            case BUNDLE -> new BundleAgg().render();
            case CLUSTER -> new ClusterAgg().render();
            case CLUSTER_GROUP -> new GroupAgg().render(Map.of());
        };
    }

    // ---- BD entries

    private void addEntry(BdEntry e, Set<StatusKey> touched) {
        ClusterAgg c = cluster(e.cluster);
        withGroupsOf(c, () -> {
            c.summary.add(e.key, e.clusterItem);
            c.counts = c.counts.plus(e.counts);
            c.bundles.merge(e.bundle, 1, Integer::sum);
        }, touched);
        touched.add(e.cluster);

        BundleAgg b = bundle(e.bundle);
        if (b.bdClusters.merge(e.cluster, 1, Integer::sum) == 1) {
            if (b.targets.contains(e.cluster)) {
                b.summary.remove(new TargetKey(e.cluster, null), SummaryItem.pending(e.cluster.id()));
            }
            if (c.offline()) {
                b.offlineClusters++;
            }
        }
        b.summary.add(new TargetKey(e.cluster, e.key), e.bundleItem);
        b.itemsByCluster.put(e.cluster.id(), e.bundleItem);
        if (e.unavailable) {
            b.unavailable++;
        }
        touched.add(e.bundle);

        if (e.gitRepo != null) {
            GitRepoAgg g = gitRepo(e.gitRepo);
            g.summary.add(e.key, e.gitRepoItem);
            g.counts = g.counts.plus(e.counts);
            g.perCluster.merge(e.cluster.id(), e.counts, ResourceCounts::plus);
            e.resourceStates.forEach((ref, state) -> {
                ResourceAgg r = g.resources.computeIfAbsent(ref, k -> new ResourceAgg());
                r.put(new ResourceEntryKey(e.cluster.id(), e.key), state, e.incomplete);
            });
            updatePair(g, e.gitRepo, c, e.cluster, 1, e.ready ? 1 : 0);
            touched.add(e.gitRepo);
        }
    }

    private void removeEntry(BdEntry e, Set<StatusKey> touched) {
        ClusterAgg c = cluster(e.cluster);
        withGroupsOf(c, () -> {
            c.summary.remove(e.key, e.clusterItem);
            c.counts = c.counts.minus(e.counts);
            decrement(c.bundles, e.bundle);
        }, touched);
        touched.add(e.cluster);

        BundleAgg b = bundle(e.bundle);
        b.summary.remove(new TargetKey(e.cluster, e.key), e.bundleItem);
        b.itemsByCluster.remove(e.cluster.id());
        if (decrement(b.bdClusters, e.cluster) == 0) {
            if (b.targets.contains(e.cluster)) {
                b.summary.add(new TargetKey(e.cluster, null), SummaryItem.pending(e.cluster.id()));
            }
            if (c.offline()) {
                b.offlineClusters--;
            }
        }
        if (e.unavailable) {
            b.unavailable--;
        }
        touched.add(e.bundle);

        if (e.gitRepo != null) {
            GitRepoAgg g = gitRepo(e.gitRepo);
            g.summary.remove(e.key, e.gitRepoItem);
            g.counts = g.counts.minus(e.counts);
            e.resourceStates.forEach((ref, state) -> {
                ResourceAgg r = g.resources.get(ref);
                r.remove(new ResourceEntryKey(e.cluster.id(), e.key), state, e.incomplete);
                if (r.states.isEmpty()) {
                    g.resources.remove(ref);
                }
            });
            updatePair(g, e.gitRepo, c, e.cluster, -1, e.ready ? -1 : 0);
            if (g.clusters.containsKey(e.cluster)) {
                g.perCluster.merge(e.cluster.id(), e.counts, ResourceCounts::minus);
            } else {
                g.perCluster.remove(e.cluster.id());
            }
            touched.add(e.gitRepo);
        }
    }

    /**
     * Moves the BD counts of one (GitRepo, cluster) pair, keeping the GitRepo's readyClusters/offlineClusters and the
     * cluster's readyGitRepos in step. A pair without BDs is dropped from both sides.
     */
    private static void updatePair(GitRepoAgg g, StatusKey gitRepo, ClusterAgg c, StatusKey cluster,
                                   int bdDelta, int readyDelta) {
        PairCounts p = g.clusters.get(cluster);
        if (p == null) {
            p = new PairCounts();
            g.clusters.put(cluster, p);
            c.gitRepos.put(gitRepo, p);
        }
        countPair(g, c, p, -1);
        p.bds += bdDelta;
        p.ready += readyDelta;
        countPair(g, c, p, 1);
        if (p.bds == 0) {
            g.clusters.remove(cluster);
            c.gitRepos.remove(gitRepo);
        }
    }

    private static void countPair(GitRepoAgg g, ClusterAgg c, PairCounts p, int sign) {
        if (p.bds > 0 && p.ready == p.bds) {
            g.readyClusters += sign;
        }
        if (p.bds > 0 && c.offline()) {
            g.offlineClusters += sign;
        }
        if (p.ready > 0) {
            c.readyGitRepos += sign;
        }
    }

    // ---- clusters, groups, bundles

    private void setOnline(StatusKey key, Boolean online, Set<StatusKey> touched) {
        ClusterAgg c = cluster(key);
        boolean wasOffline = c.offline();
        withGroupsOf(c, () -> c.online = online, touched);
        touched.add(key);
        if (wasOffline != c.offline()) {
            int delta = c.offline() ? 1 : -1;
            c.gitRepos.keySet().forEach(gr -> {
                gitRepos.get(gr).offlineClusters += delta;
                touched.add(gr);
            });
            c.bundles.keySet().forEach(bk -> {
                bundles.get(bk).offlineClusters += delta;
                touched.add(bk);
            });
        }
    }

    private void removeCluster(StatusKey key, Set<StatusKey> touched) {
        if (!clusters.containsKey(key)) {
            return;
        }
        setMembership(key, Set.of(), touched);
        setOnline(key, null, touched);
    }

    private void setMembership(StatusKey clusterKey, Set<StatusKey> newGroups, Set<StatusKey> touched) {
        ClusterAgg c = cluster(clusterKey);
        for (StatusKey g : List.copyOf(c.groups)) {
            if (!newGroups.contains(g)) {
                leave(g, clusterKey, c, touched);
            }
        }
        for (StatusKey g : newGroups) {
            if (!c.groups.contains(g)) {
                join(g, clusterKey, c, touched);
            }
        }
        touched.add(clusterKey);
    }

    private void setGroupClusters(StatusKey groupKey, Set<StatusKey> members, Set<StatusKey> touched) {
        GroupAgg g = group(groupKey);
        for (StatusKey c : List.copyOf(g.members)) {
            if (!members.contains(c)) {
                leave(groupKey, c, clusters.get(c), touched);
            }
        }
        for (StatusKey c : members) {
            if (!g.members.contains(c)) {
                join(groupKey, c, cluster(c), touched);
            }
        }
        touched.add(groupKey);
    }

    private void join(StatusKey groupKey, StatusKey clusterKey, ClusterAgg c, Set<StatusKey> touched) {
        GroupAgg g = group(groupKey);
        g.members.add(clusterKey);
        c.groups.add(groupKey);
        g.count(clusterKey, c, 1);
        touched.add(groupKey);
        touched.add(clusterKey);
    }

    private void leave(StatusKey groupKey, StatusKey clusterKey, ClusterAgg c, Set<StatusKey> touched) {
        GroupAgg g = group(groupKey);
        g.count(clusterKey, c, -1);
        g.members.remove(clusterKey);
        c.groups.remove(groupKey);
        touched.add(groupKey);
        touched.add(clusterKey);
    }

    /** Runs a change to a cluster's figures with the cluster's contribution taken out of its groups and put back. */
    private void withGroupsOf(ClusterAgg c, Runnable change, Set<StatusKey> touched) {
        StatusKey clusterKey = c.key;
        for (StatusKey g : c.groups) {
            groups.get(g).count(clusterKey, c, -1);
        }
        change.run();
        for (StatusKey g : c.groups) {
            groups.get(g).count(clusterKey, c, 1);
            touched.add(g);
        }
    }

    private void setTargets(StatusKey bundleKey, Set<StatusKey> targets, Set<StatusKey> touched) {
        BundleAgg b = bundle(bundleKey);
        for (StatusKey c : b.targets) {
            if (!targets.contains(c) && !b.bdClusters.containsKey(c)) {
                b.summary.remove(new TargetKey(c, null), SummaryItem.pending(c.id()));
            }
        }
        for (StatusKey c : targets) {
            if (!b.targets.contains(c) && !b.bdClusters.containsKey(c)) {
                b.summary.add(new TargetKey(c, null), SummaryItem.pending(c.id()));
            }
        }
        b.targets = Set.copyOf(targets);
        touched.add(bundleKey);
    }

    private void setBundleError(StatusKey bundleKey, String gitRepoName, String error, Set<StatusKey> touched) {
        BundleAgg b = bundle(bundleKey);
        if (b.errorGitRepo != null) {
            gitRepo(b.errorGitRepo).bundleErrors.remove(bundleKey.name());
            touched.add(b.errorGitRepo);
        }
        b.error = error;
        b.errorGitRepo = error == null || gitRepoName == null || gitRepoName.isEmpty()
                ? null : StatusKey.gitRepo(bundleKey.namespace(), gitRepoName);
        if (b.errorGitRepo != null) {
            gitRepo(b.errorGitRepo).bundleErrors.put(bundleKey.name(), error);
            touched.add(b.errorGitRepo);
        }
        touched.add(bundleKey);
    }

    // ---- bookkeeping

    private GitRepoAgg gitRepo(StatusKey key) {
        return gitRepos.computeIfAbsent(key, k -> new GitRepoAgg());
    }

    private BundleAgg bundle(StatusKey key) {
        return bundles.computeIfAbsent(key, k -> new BundleAgg());
    }

    private ClusterAgg cluster(StatusKey key) {
        return clusters.computeIfAbsent(key, ClusterAgg::new);
    }

    private GroupAgg group(StatusKey key) {
        return groups.computeIfAbsent(key, k -> new GroupAgg());
    }

    private boolean exists(StatusKey key) {
        return switch (key.kind()) {
            case GIT_REPO -> gitRepos.containsKey(key);
            case BUNDLE -> bundles.containsKey(key);
            case CLUSTER -> clusters.containsKey(key);
            case CLUSTER_GROUP -> groups.containsKey(key);
        };
    }

    private void pruneIfEmpty(StatusKey key) {
        switch (key.kind()) {
            case GIT_REPO -> gitRepos.computeIfPresent(key, (k, g) -> g.isEmpty() ? null : g);
            case BUNDLE -> bundles.computeIfPresent(key, (k, b) -> b.isEmpty() ? null : b);
            case CLUSTER -> clusters.computeIfPresent(key, (k, c) -> c.isEmpty() ? null : c);
            case CLUSTER_GROUP -> groups.computeIfPresent(key, (k, g) -> g.isEmpty() ? null : g);
        }
    }

    private static <K> int decrement(Map<K, Integer> counts, K key) {
        Integer left = counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        return left == null ? 0 : left;
    }

    /** A BD with everything derived from it, so removal subtracts exactly what addition added. */
    private static final class BdEntry {
        final BdKey key;
        final StatusKey gitRepo;
        final StatusKey bundle;
        final StatusKey cluster;
        final boolean ready;
        final boolean unavailable;
        final boolean incomplete;
        final ResourceCounts counts;
        final SummaryItem gitRepoItem;
        final SummaryItem clusterItem;
        final SummaryItem bundleItem;
        final Map<ResourceRef, String> resourceStates;

        BdEntry(BdSnapshot bd) {
            BdState state = BdState.of(bd);
            key = bd.key();
            gitRepo = bd.gitRepoKey();
            bundle = bd.bundleKey();
            cluster = bd.clusterKey();
            ready = state.state() == BundleState.READY;
            unavailable = isUnavailable(bd);
            BdReport report = bd.report();
            incomplete = report != null && report.incompleteState();
            counts = report == null ? ResourceCounts.ZERO : report.counts();
            gitRepoItem = SummaryItem.of(bd.name(), state, report);
            clusterItem = gitRepoItem;
            bundleItem = SummaryItem.of(cluster.id(), BdState.forBundle(bd), report);
            resourceStates = gitRepo == null ? Map.of() : GitRepoResources.statesOf(bd, state.state());
        }
    }

    /** §6.5: a target counts as unavailable while its BD is not applied at the current ID or not ready. */
    static boolean isUnavailable(BdSnapshot bd) {
        BdReport r = bd.report();
        return r == null || !r.appliedDeploymentId().equals(bd.deploymentId()) || !r.ready();
    }

    /** BD counts of one (GitRepo, cluster) pair, shared by both sides. */
    private static final class PairCounts {
        int bds;
        int ready;
    }

    /**
     * One resource of a GitRepo: the state each BD gives it, and its rendered row, kept until the resource changes or
     * the text budget left for its per-cluster lists changes in a way that matters.
     */
    private static final class ResourceAgg {
        /** Cache tag: rendered with room for all its cluster ids. */
        private static final int ALL_LISTED = -1;
        /** Cache tag: rendered after the budget was used up, so with no cluster ids. */
        private static final int NONE_LISTED = -2;

        final TreeMap<ResourceEntryKey, String> states = new TreeMap<>();
        final TreeMap<ResourceEntryKey, String> notReady = new TreeMap<>();
        int incomplete;
        /** Length of the cluster ids the per-cluster lists would hold without a budget. */
        int listedText;
        GitRepoResources.Rendered rendered;
        int renderedTag;

        void put(ResourceEntryKey key, String state, boolean fromIncompleteBd) {
            states.put(key, state);
            if (!"Ready".equals(state)) {
                notReady.put(key, state);
            }
            if (fromIncompleteBd) {
                incomplete++;
            }
            if (GitRepoResources.listed(state)) {
                listedText += key.clusterId().length();
            }
            rendered = null;
        }

        void remove(ResourceEntryKey key, String state, boolean fromIncompleteBd) {
            states.remove(key);
            notReady.remove(key);
            if (fromIncompleteBd) {
                incomplete--;
            }
            if (GitRepoResources.listed(state)) {
                listedText -= key.clusterId().length();
            }
            rendered = null;
        }

        GitRepoResources.Rendered render(ResourceRef ref, int textUsedBefore) {
            int tag = textUsedBefore >= GitRepoResources.PER_CLUSTER_TEXT_LIMIT ? NONE_LISTED
                    : textUsedBefore + listedText <= GitRepoResources.PER_CLUSTER_TEXT_LIMIT ? ALL_LISTED
                    : textUsedBefore;
            if (rendered == null || renderedTag != tag) {
                rendered = GitRepoResources.render(new GitRepoResources.Row(ref, incomplete > 0, states,
                        notReady.isEmpty() ? null : notReady.firstEntry().getValue()), textUsedBefore);
                renderedTag = tag;
            }
            return rendered;
        }
    }

    private static final class GitRepoAgg {
        final SummaryAgg<BdKey> summary = new SummaryAgg<>();
        final Map<StatusKey, PairCounts> clusters = new HashMap<>();
        final TreeMap<String, ResourceCounts> perCluster = new TreeMap<>();
        final TreeMap<ResourceRef, ResourceAgg> resources = new TreeMap<>(ResourceRef.BY_TYPE_AND_ID);
        /** Bundle name → error of the GitRepo's bundles that have one. */
        final TreeMap<String, String> bundleErrors = new TreeMap<>();
        ResourceCounts counts = ResourceCounts.ZERO;
        int readyClusters;
        int offlineClusters;
        boolean updating;

        boolean isEmpty() {
            return summary.desiredReady() == 0 && bundleErrors.isEmpty() && !updating;
        }

        Map<String, Object> render() {
            List<Map<String, Object>> rows = new ArrayList<>(resources.size());
            int textUsed = 0;
            for (Map.Entry<ResourceRef, ResourceAgg> e : resources.entrySet()) {
                GitRepoResources.Rendered row = e.getValue().render(e.getKey(), textUsed);
                textUsed += row.textAdded();
                rows.add(row.map());
            }
            BundleState worst = summary.worstState();
            return StatusMaps.gitRepo(new StatusMaps.GitRepoView(summary.summary(), worst, summary.firstMessage(worst),
                    clusters.size(), readyClusters, offlineClusters, updating,
                    bundleErrors.isEmpty() ? null : bundleErrors.firstEntry().getValue(), counts, perCluster,
                    rows));
        }
    }

    private static final class BundleAgg {
        final SummaryAgg<TargetKey> summary = new SummaryAgg<>();
        /** Cluster → number of this bundle's BDs there. */
        final Map<StatusKey, Integer> bdClusters = new HashMap<>();
        Set<StatusKey> targets = Set.of();
        int unavailable;
        int offlineClusters;
        String error;
        StatusKey errorGitRepo;
        /** Rollout figures from the deployment controller; null for bundles it has none for. */
        Map<String, Object> rollout;
        /** The Bundle summary item of each cluster with a BD, by cluster id, for partition summaries. */
        final Map<String, SummaryItem> itemsByCluster = new HashMap<>();

        boolean isEmpty() {
            return bdClusters.isEmpty() && targets.isEmpty() && error == null && rollout == null;
        }

        Map<String, Object> render() {
            return StatusMaps.bundle(new StatusMaps.BundleView(summary.summary(), unavailable, offlineClusters, error,
                    rollout == null ? null : withPartitionSummaries(rollout)));
        }

        /**
         * Each partition's {@code summary}, computed like the Bundle's over the partition's clusters (§8); the
         * partitions arrive with their members' cluster ids under {@code clusters}, which is not shown.
         */
        private Map<String, Object> withPartitionSummaries(Map<String, Object> figures) {
            if (!(figures.get("partitions") instanceof List<?> partitions)) {
                return figures;
            }
            List<Map<String, Object>> shown = new ArrayList<>();
            for (Object o : partitions) {
                Map<?, ?> p = (Map<?, ?>) o;
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                p.forEach((k, v) -> {
                    if (!"clusters".equals(k)) {
                        m.put((String) k, v);
                    }
                });
                SummaryAgg<String> agg = new SummaryAgg<>();
                if (p.get("clusters") instanceof List<?> clusters) {
                    for (Object c : clusters) {
                        String id = (String) c;
                        SummaryItem item = itemsByCluster.get(id);
                        if (item == null && targets.contains(clusterKey(id))) {
                            item = SummaryItem.pending(id);
                        }
                        if (item != null) {
                            agg.add(id, item);
                        }
                    }
                }
                m.put("summary", agg.summary().toMap());
                shown.add(m);
            }
            Map<String, Object> result = new java.util.LinkedHashMap<>(figures);
            result.put("partitions", shown);
            return result;
        }

        private static StatusKey clusterKey(String id) {
            int slash = id.indexOf('/');
            return StatusKey.cluster(id.substring(0, Math.max(0, slash)), id.substring(slash + 1));
        }
    }

    private static final class ClusterAgg {
        final StatusKey key;
        final SummaryAgg<BdKey> summary = new SummaryAgg<>();
        /** GitRepo → BD counts on this cluster (the same objects as in the GitRepo's map). */
        final Map<StatusKey, PairCounts> gitRepos = new HashMap<>();
        /** Bundle → number of its BDs on this cluster. */
        final Map<StatusKey, Integer> bundles = new HashMap<>();
        final Set<StatusKey> groups = new HashSet<>();
        ResourceCounts counts = ResourceCounts.ZERO;
        int readyGitRepos;
        /** Null until the agent's connection state is known. */
        Boolean online;

        ClusterAgg() {
            this(null);
        }

        ClusterAgg(StatusKey key) {
            this.key = key;
        }

        boolean offline() {
            return Boolean.FALSE.equals(online);
        }

        boolean notReady() {
            return summary.desiredReady() != summary.count(BundleState.READY);
        }

        boolean isEmpty() {
            return summary.desiredReady() == 0 && groups.isEmpty() && online == null;
        }

        Map<String, Object> render() {
            return StatusMaps.cluster(new StatusMaps.ClusterView(summary.summary(), counts, readyGitRepos,
                    gitRepos.size(), online));
        }
    }

    private static final class GroupAgg {
        final TreeSet<StatusKey> members = new TreeSet<>();
        final Map<BundleState, Integer> counts = new EnumMap<>(BundleState.class);
        final TreeSet<StatusKey> notReadyMembers = new TreeSet<>();
        /** Members whose summary lists non-ready items, in name order, for the summed nonReadyResources. */
        final TreeSet<StatusKey> membersWithItems = new TreeSet<>();
        ResourceCounts resourceCounts = ResourceCounts.ZERO;
        int desiredReady;
        int offlineClusters;

        /** Adds (sign 1) or removes (sign -1) one member's contribution. */
        void count(StatusKey clusterKey, ClusterAgg c, int sign) {
            for (BundleState s : BundleState.values()) {
                counts.merge(s, sign * c.summary.count(s), Integer::sum);
            }
            desiredReady += sign * c.summary.desiredReady();
            resourceCounts = sign > 0 ? resourceCounts.plus(c.counts) : resourceCounts.minus(c.counts);
            if (c.offline()) {
                offlineClusters += sign;
            }
            track(notReadyMembers, clusterKey, c.notReady(), sign);
            track(membersWithItems, clusterKey, c.summary.hasNonReadyItems(), sign);
        }

        private void track(Set<StatusKey> set, StatusKey key, boolean condition, int sign) {
            if (condition && sign > 0) {
                set.add(key);
            } else if (condition) {
                set.remove(key);
            }
        }

        boolean isEmpty() {
            return members.isEmpty();
        }

        Map<String, Object> render(Map<StatusKey, ClusterAgg> clusters) {
            // §6.2: summing appends a member's whole list while fewer than ten items are listed
            List<SummaryItem> items = new ArrayList<>();
            for (StatusKey member : membersWithItems) {
                if (items.size() >= Summary.MAX_NON_READY) {
                    break;
                }
                items.addAll(clusters.get(member).summary.summary().nonReadyResources());
            }
            List<String> names = notReadyMembers.stream().limit(Summary.MAX_NON_READY).map(StatusKey::name).toList();
            return StatusMaps.group(new StatusMaps.GroupView(new Summary(counts, desiredReady, items), resourceCounts,
                    members.size(), notReadyMembers.size(), names, offlineClusters));
        }
    }

    @Override
    public String toString() {
        return "StatusIndex[" + bds.size() + " BDs, " + gitRepos.size() + " GitRepos, " + bundles.size()
                + " Bundles, " + clusters.size() + " Clusters, " + groups.size() + " ClusterGroups]";
    }
}

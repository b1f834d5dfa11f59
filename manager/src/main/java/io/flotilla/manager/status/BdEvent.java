package io.flotilla.manager.status;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A change the {@link StatusIndex} aggregates. */
public sealed interface BdEvent {

    /** A BD was created, or its spec or agent report changed. */
    record Upserted(BdSnapshot bd) implements BdEvent {
        public Upserted {
            Objects.requireNonNull(bd, "bd");
        }
    }

    /** A BD is gone (deleted from the store); it is never counted again. */
    record Deleted(BdKey bd) implements BdEvent {
        public Deleted {
            Objects.requireNonNull(bd, "bd");
        }
    }

    /** The cluster's agent connection: {@code online=false} once the cluster is considered offline. */
    record ClusterOnline(StatusKey cluster, boolean online) implements BdEvent {
        public ClusterOnline {
            requireKind(cluster, StatusKey.Kind.CLUSTER);
        }
    }

    /** The cluster is gone: its connection state and group memberships are forgotten (its BDs are deleted separately). */
    record ClusterRemoved(StatusKey cluster) implements BdEvent {
        public ClusterRemoved {
            requireKind(cluster, StatusKey.Kind.CLUSTER);
        }
    }

    /** The groups a cluster belongs to now (after a label change, say). */
    record ClusterGroupMembership(StatusKey cluster, Set<StatusKey> groups) implements BdEvent {
        public ClusterGroupMembership {
            requireKind(cluster, StatusKey.Kind.CLUSTER);
            groups = Set.copyOf(groups);
            groups.forEach(g -> requireKind(g, StatusKey.Kind.CLUSTER_GROUP));
        }
    }

    /** The clusters a group selects now (after a selector change; empty when the group is deleted). */
    record GroupClusters(StatusKey group, Set<StatusKey> clusters) implements BdEvent {
        public GroupClusters {
            requireKind(group, StatusKey.Kind.CLUSTER_GROUP);
            clusters = Set.copyOf(clusters);
            clusters.forEach(c -> requireKind(c, StatusKey.Kind.CLUSTER));
        }
    }

    /** The clusters targeting selected for a bundle; targets without a BD show as Pending in the Bundle summary. */
    record BundleTargets(StatusKey bundle, Set<StatusKey> clusters) implements BdEvent {
        public BundleTargets {
            requireKind(bundle, StatusKey.Kind.BUNDLE);
            clusters = Set.copyOf(clusters);
            clusters.forEach(c -> requireKind(c, StatusKey.Kind.CLUSTER));
        }
    }

    /**
     * A bundle error (targeting, rendering, policy) or its clearing ({@code error == null}). It replaces the Bundle's
     * Ready condition, and the first erring bundle of a GitRepo (by name) replaces the GitRepo's (§6.5, §6.6 step 9).
     *
     * @param gitRepo the bundle's GitRepo name (same namespace), or null
     */
    record BundleError(StatusKey bundle, String gitRepo, String error) implements BdEvent {
        public BundleError {
            requireKind(bundle, StatusKey.Kind.BUNDLE);
        }
    }

    /**
     * The rollout figures of a bundle (§1.2, §8: {@code maxUnavailable}, {@code maxUnavailablePartitions},
     * {@code unavailablePartitions}, {@code newlyCreated}, {@code partitions}) as Fleet names them, or null to drop
     * them. They are shown beside the figures computed from BDs.
     */
    record BundleRollout(StatusKey bundle, Map<String, Object> figures) implements BdEvent {
        public BundleRollout {
            requireKind(bundle, StatusKey.Kind.BUNDLE);
            figures = figures == null ? null : Map.copyOf(figures);
        }
    }

    /** A git fetch and bundle read is running for the GitRepo ({@code display.state = GitUpdating}). */
    record GitRepoUpdating(StatusKey gitRepo, boolean updating) implements BdEvent {
        public GitRepoUpdating {
            requireKind(gitRepo, StatusKey.Kind.GIT_REPO);
        }
    }

    private static void requireKind(StatusKey key, StatusKey.Kind kind) {
        Objects.requireNonNull(key, "key");
        if (key.kind() != kind) {
            throw new IllegalArgumentException("expected a " + kind + " key, got " + key);
        }
    }
}

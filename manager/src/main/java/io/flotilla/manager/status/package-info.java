/**
 * Status aggregation (fleet-semantics §6): pure, in-memory, incremental.
 *
 * <p>The manager feeds {@link io.flotilla.manager.status.StatusIndex} one {@link io.flotilla.manager.status.BdEvent}
 * per change (BD stored or deleted, agent report, cluster online/offline, group membership, bundle targets and
 * errors, git sync running) and gets back the GitRepos, Bundles, Clusters and ClusterGroups whose status changed;
 * {@link io.flotilla.manager.status.StatusIndex#status} gives each one's status as an unmodifiable map with Fleet's
 * JSON field names, to be merged into the object's {@code status} and published.
 * {@link io.flotilla.manager.status.StatusRecompute} computes the same maps from scratch.
 */
package io.flotilla.manager.status;

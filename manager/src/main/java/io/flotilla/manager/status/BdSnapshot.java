package io.flotilla.manager.status;

import java.util.Objects;

/**
 * A stored BundleDeployment as aggregation sees it.
 *
 * @param namespace          the BD's namespace (the cluster namespace)
 * @param gitRepo            name of the GitRepo (in {@code bundleNamespace}) the bundle came from; null if none
 * @param clusterNamespace   namespace of the Cluster object the BD belongs to
 * @param stagedDeploymentId the deploymentID the controller wants next; differs from {@code deploymentId} while paused
 * @param report             the agent's last report; null if it never reported
 */
public record BdSnapshot(String namespace, String name, String bundleNamespace, String bundleName, String gitRepo,
                         String clusterNamespace, String clusterName, String deploymentId, String stagedDeploymentId,
                         boolean paused, BdReport report) {
    public BdSnapshot {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bundleNamespace, "bundleNamespace");
        Objects.requireNonNull(bundleName, "bundleName");
        Objects.requireNonNull(clusterNamespace, "clusterNamespace");
        Objects.requireNonNull(clusterName, "clusterName");
        deploymentId = Objects.requireNonNullElse(deploymentId, "");
        stagedDeploymentId = Objects.requireNonNullElse(stagedDeploymentId, deploymentId);
    }

    public BdKey key() {
        return new BdKey(namespace, name);
    }

    public StatusKey bundleKey() {
        return StatusKey.bundle(bundleNamespace, bundleName);
    }

    public StatusKey clusterKey() {
        return StatusKey.cluster(clusterNamespace, clusterName);
    }

    /** The GitRepo key, or null when the bundle does not come from a GitRepo. */
    public StatusKey gitRepoKey() {
        return gitRepo == null || gitRepo.isEmpty() ? null : StatusKey.gitRepo(bundleNamespace, gitRepo);
    }

    public BdSnapshot withReport(BdReport newReport) {
        return new BdSnapshot(namespace, name, bundleNamespace, bundleName, gitRepo, clusterNamespace, clusterName,
                deploymentId, stagedDeploymentId, paused, newReport);
    }

    public BdSnapshot withDeploymentIds(String newDeploymentId, String newStagedDeploymentId) {
        return new BdSnapshot(namespace, name, bundleNamespace, bundleName, gitRepo, clusterNamespace, clusterName,
                newDeploymentId, newStagedDeploymentId, paused, report);
    }
}

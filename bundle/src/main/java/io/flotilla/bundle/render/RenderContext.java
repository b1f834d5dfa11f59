package io.flotilla.bundle.render;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Per-deployment inputs of a render that are not bundle options.
 *
 * @param releaseName release name used when {@code helm.releaseName} is not set (Fleet: derived from the BD name)
 * @param clusterScopedKinds kinds that take no namespace; {@code null} means {@link #WELL_KNOWN_CLUSTER_SCOPED_KINDS}
 * @param workDir existing directory under which each render materialises files in its own temporary directory
 * @param kustomize runs {@code kustomize build} for kustomize-style bundles
 */
public record RenderContext(String releaseName, Set<String> clusterScopedKinds, Path workDir,
                            KustomizeRunner kustomize) {

    /** Built-in cluster-scoped kinds of Kubernetes (by kind only; custom resources need the caller's list). */
    public static final Set<String> WELL_KNOWN_CLUSTER_SCOPED_KINDS = Set.of(
            "Namespace", "Node", "PersistentVolume", "StorageClass", "VolumeAttachment", "CSIDriver", "CSINode",
            "CustomResourceDefinition", "APIService",
            "ClusterRole", "ClusterRoleBinding",
            "PriorityClass", "RuntimeClass", "IngressClass",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
            "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
            "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration",
            "PodSecurityPolicy", "ComponentStatus", "StorageVersionMigration", "VolumeAttributesClass",
            "DeviceClass");

    public RenderContext {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(kustomize, "kustomize");
        clusterScopedKinds = clusterScopedKinds == null ? WELL_KNOWN_CLUSTER_SCOPED_KINDS : Set.copyOf(clusterScopedKinds);
    }

    /** A context with the well-known cluster-scoped kinds. */
    public static RenderContext of(String releaseName, Path workDir, KustomizeRunner kustomize) {
        return new RenderContext(releaseName, null, workDir, kustomize);
    }

    /** Whether objects of {@code kind} are cluster-scoped. */
    public boolean isClusterScoped(String kind) {
        return clusterScopedKinds.contains(kind);
    }
}

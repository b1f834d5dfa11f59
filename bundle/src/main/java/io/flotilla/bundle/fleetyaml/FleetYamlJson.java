package io.flotilla.bundle.fleetyaml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.CorrectDrift;
import io.flotilla.bundle.options.BundleDeploymentOptions.DiffOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.DownstreamResource;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.IgnoreOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.KustomizeOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.YamlOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.LabelSelectorSpec;
import io.flotilla.bundle.options.RolloutStrategy;
import java.util.List;
import java.util.Map;

/**
 * The flat YAML shape of {@link FleetYaml}: metadata, the inline BundleSpec options and the bundle-level keys.
 * Flat rather than {@code @JsonUnwrapped} so unknown keys are rejected with location and known names.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record FleetYamlJson(
        @JsonProperty("name") String name,
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("annotations") Map<String, String> annotations,
        @JsonProperty("yaml") YamlOptions yaml,
        @JsonProperty("kustomize") KustomizeOptions kustomize,
        @JsonProperty("defaultNamespace") String defaultNamespace,
        @JsonProperty("namespace") String namespace,
        @JsonProperty("helm") HelmOptions helm,
        @JsonProperty("serviceAccount") String serviceAccount,
        @JsonProperty("createNamespace") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean createNamespace,
        @JsonProperty("forceSyncGeneration") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long forceSyncGeneration,
        @JsonProperty("diff") DiffOptions diff,
        @JsonProperty("keepResources") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean keepResources,
        @JsonProperty("deleteNamespace") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean deleteNamespace,
        @JsonProperty("ignore") IgnoreOptions ignore,
        @JsonProperty("correctDrift") CorrectDrift correctDrift,
        @JsonProperty("namespaceLabels") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> namespaceLabels,
        @JsonProperty("namespaceAnnotations") @JsonInclude(JsonInclude.Include.NON_NULL)
        Map<String, String> namespaceAnnotations,
        @JsonProperty("deleteCRDResources") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean deleteCRDResources,
        @JsonProperty("downstreamResources") List<DownstreamResource> downstreamResources,
        @JsonProperty("overwrites") Object overwrites,
        @JsonProperty("allowedTargetNamespaceSelector") LabelSelectorSpec allowedTargetNamespaceSelector,
        @JsonProperty("paused") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean paused,
        @JsonProperty("rolloutStrategy") RolloutStrategy rolloutStrategy,
        @JsonProperty("dependsOn") List<DependsOn> dependsOn,
        @JsonProperty("targetCustomizationMode") String targetCustomizationMode,
        @JsonProperty("targets") List<BundleTarget> targets,
        @JsonProperty("targetCustomizations") List<BundleTarget> targetCustomizations,
        @JsonProperty("overrideTargets") @JsonInclude(JsonInclude.Include.NON_NULL) List<GitTarget> overrideTargets,
        @JsonProperty("imageScans") List<Map<String, Object>> imageScans) {

    static FleetYamlJson of(FleetYaml f) {
        BundleDeploymentOptions o = f.options();
        return new FleetYamlJson(f.name(), f.labels(), f.annotations(),
                o.yaml(), o.kustomize(), o.defaultNamespace(), o.namespace(), o.helm(), o.serviceAccount(),
                o.createNamespace(), o.forceSyncGeneration(), o.diff(), o.keepResources(), o.deleteNamespace(),
                o.ignore(), o.correctDrift(), o.namespaceLabels(), o.namespaceAnnotations(), o.deleteCRDResources(),
                o.downstreamResources(), o.overwrites(), o.allowedTargetNamespaceSelector(),
                f.paused(), f.rolloutStrategy(), f.dependsOn(), f.targetCustomizationMode(), f.targets(),
                f.targetCustomizations(), f.overrideTargets(), f.imageScans());
    }

    FleetYaml toFleetYaml() {
        BundleDeploymentOptions options = BundleDeploymentOptions.builder()
                .yaml(yaml).kustomize(kustomize).defaultNamespace(defaultNamespace).namespace(namespace).helm(helm)
                .serviceAccount(serviceAccount).createNamespace(createNamespace)
                .forceSyncGeneration(forceSyncGeneration).diff(diff).keepResources(keepResources)
                .deleteNamespace(deleteNamespace).ignore(ignore).correctDrift(correctDrift)
                .namespaceLabels(namespaceLabels).namespaceAnnotations(namespaceAnnotations)
                .deleteCRDResources(deleteCRDResources).downstreamResources(downstreamResources)
                .overwrites(overwrites).allowedTargetNamespaceSelector(allowedTargetNamespaceSelector)
                .build();
        return new FleetYaml(name, labels, annotations, options, paused, rolloutStrategy, dependsOn,
                targetCustomizationMode, targets, targetCustomizations, overrideTargets, imageScans);
    }
}

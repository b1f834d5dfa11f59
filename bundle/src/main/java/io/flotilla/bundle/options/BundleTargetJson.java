package io.flotilla.bundle.options;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.flotilla.bundle.options.BundleDeploymentOptions.CorrectDrift;
import io.flotilla.bundle.options.BundleDeploymentOptions.DiffOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.DownstreamResource;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.IgnoreOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.KustomizeOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.YamlOptions;
import java.util.List;
import java.util.Map;

/**
 * The flat JSON shape of {@link BundleTarget} (target fields plus inline options). A flat record rather than
 * {@code @JsonUnwrapped} so that unknown fields are still rejected with their location and the list of
 * known names.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record BundleTargetJson(
        @JsonProperty("name") String name,
        @JsonProperty("clusterName") String clusterName,
        @JsonProperty("clusterSelector") LabelSelectorSpec clusterSelector,
        @JsonProperty("clusterGroup") String clusterGroup,
        @JsonProperty("clusterGroupSelector") LabelSelectorSpec clusterGroupSelector,
        @JsonProperty("doNotDeploy") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean doNotDeploy,
        @JsonProperty("namespaceLabels") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> namespaceLabels,
        @JsonProperty("namespaceAnnotations") @JsonInclude(JsonInclude.Include.NON_NULL)
        Map<String, String> namespaceAnnotations,
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
        @JsonProperty("deleteCRDResources") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean deleteCRDResources,
        @JsonProperty("downstreamResources") List<DownstreamResource> downstreamResources,
        @JsonProperty("overwrites") Object overwrites,
        @JsonProperty("allowedTargetNamespaceSelector") LabelSelectorSpec allowedTargetNamespaceSelector) {

    static BundleTargetJson of(BundleTarget t) {
        BundleDeploymentOptions o = t.options();
        return new BundleTargetJson(t.name(), t.clusterName(), t.clusterSelector(), t.clusterGroup(),
                t.clusterGroupSelector(), t.doNotDeploy(), t.namespaceLabels(), t.namespaceAnnotations(),
                o.yaml(), o.kustomize(), o.defaultNamespace(), o.namespace(), o.helm(), o.serviceAccount(),
                o.createNamespace(), o.forceSyncGeneration(), o.diff(), o.keepResources(), o.deleteNamespace(),
                o.ignore(), o.correctDrift(), o.deleteCRDResources(), o.downstreamResources(), o.overwrites(),
                o.allowedTargetNamespaceSelector());
    }

    BundleTarget toTarget() {
        BundleDeploymentOptions options = BundleDeploymentOptions.builder()
                .yaml(yaml).kustomize(kustomize).defaultNamespace(defaultNamespace).namespace(namespace).helm(helm)
                .serviceAccount(serviceAccount).createNamespace(createNamespace)
                .forceSyncGeneration(forceSyncGeneration).diff(diff).keepResources(keepResources)
                .deleteNamespace(deleteNamespace).ignore(ignore).correctDrift(correctDrift)
                .deleteCRDResources(deleteCRDResources).downstreamResources(downstreamResources)
                .overwrites(overwrites).allowedTargetNamespaceSelector(allowedTargetNamespaceSelector)
                .build();
        return new BundleTarget(name, clusterName, clusterSelector, clusterGroup, clusterGroupSelector, doNotDeploy,
                namespaceLabels, namespaceAnnotations, options);
    }
}

package io.flotilla.bundle.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/**
 * A Bundle target or fleet.yaml {@code targetCustomizations} entry: the matcher fields, {@code doNotDeploy},
 * namespace labels/annotations and deployment options.
 *
 * <p>In JSON/YAML the options are inline in the target object. Because both the target and the inline
 * options have {@code namespaceLabels}/{@code namespaceAnnotations}, those keys always belong to the
 * target (Go's shallowest-field rule, fleet-semantics §1.2): after reading, {@code options().namespaceLabels()}
 * and {@code options().namespaceAnnotations()} are null, and when writing they are not emitted.
 * {@code options} is never null.
 */
public record BundleTarget(
        String name,
        String clusterName,
        LabelSelectorSpec clusterSelector,
        String clusterGroup,
        LabelSelectorSpec clusterGroupSelector,
        boolean doNotDeploy,
        Map<String, String> namespaceLabels,
        Map<String, String> namespaceAnnotations,
        BundleDeploymentOptions options) {

    public BundleTarget {
        namespaceLabels = Copies.map(namespaceLabels);
        namespaceAnnotations = Copies.map(namespaceAnnotations);
        options = options == null ? BundleDeploymentOptions.empty() : options;
    }

    /** A plain target made of a GitTarget's matcher fields, without options. */
    public static BundleTarget of(GitTarget target) {
        return new BundleTarget(target.name(), target.clusterName(), target.clusterSelector(), target.clusterGroup(),
                target.clusterGroupSelector(), false, null, null, BundleDeploymentOptions.empty());
    }

    /** The five matcher fields of this target. */
    public GitTarget matcher() {
        return new GitTarget(name, clusterName, clusterSelector, clusterGroup, clusterGroupSelector);
    }

    public BundleTarget withName(String newName) {
        return new BundleTarget(newName, clusterName, clusterSelector, clusterGroup, clusterGroupSelector, doNotDeploy,
                namespaceLabels, namespaceAnnotations, options);
    }

    public BundleTarget withOptions(BundleDeploymentOptions newOptions) {
        return new BundleTarget(name, clusterName, clusterSelector, clusterGroup, clusterGroupSelector, doNotDeploy,
                namespaceLabels, namespaceAnnotations, newOptions);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static BundleTarget fromJson(BundleTargetJson json) {
        return json.toTarget();
    }

    @JsonValue
    BundleTargetJson toJson() {
        return BundleTargetJson.of(this);
    }
}

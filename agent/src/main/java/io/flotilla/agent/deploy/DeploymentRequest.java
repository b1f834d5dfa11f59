package io.flotilla.agent.deploy;

import io.flotilla.agent.model.Maps;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import java.util.List;
import java.util.Map;

/**
 * One BundleDeployment to deploy: its name, deploymentID, merged options and the rendered Kubernetes objects
 * (namespaces resolved, in apply order).
 */
public record DeploymentRequest(String bdName, String deploymentId, BundleDeploymentOptions options,
                                List<Map<String, Object>> objects) {

    public DeploymentRequest {
        options = options == null ? BundleDeploymentOptions.empty() : options;
        objects = objects.stream().map(Maps::deepCopy).toList();
    }

    /** The release namespace: {@code namespace} > {@code defaultNamespace} > {@code default} (§7.2). */
    public String targetNamespace() {
        if (options.namespace() != null && !options.namespace().isEmpty()) {
            return options.namespace();
        }
        if (options.defaultNamespace() != null && !options.defaultNamespace().isEmpty()) {
            return options.defaultNamespace();
        }
        return "default";
    }

    /** {@code createNamespace} defaults to true (§7.2). */
    public boolean createsNamespace() {
        return !Boolean.FALSE.equals(options.createNamespace());
    }
}

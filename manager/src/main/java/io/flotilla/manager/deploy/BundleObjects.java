package io.flotilla.manager.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.options.BundleResource;
import io.flotilla.bundle.options.RolloutStrategy;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.targeting.BundleTargetsBuilder.BundleTargets;

import java.util.List;
import java.util.Map;

/** The stored form of a Bundle: Fleet's BundleSpec (options inline, targets, restrictions, resources). */
public final class BundleObjects {
    private BundleObjects() {
    }

    public static ObjectNode toObject(String namespace, String name, Map<String, String> labels, BundleTargets targets,
                                      String targetCustomizationMode, List<BundleResource> resources, String contentId,
                                      List<?> dependsOn) {
        return toObject(namespace, name, labels, targets, targetCustomizationMode, resources, contentId, dependsOn, null);
    }

    /** @param rolloutStrategy the fleet.yaml's {@code rolloutStrategy}, or null */
    public static ObjectNode toObject(String namespace, String name, Map<String, String> labels, BundleTargets targets,
                                      String targetCustomizationMode, List<BundleResource> resources, String contentId,
                                      List<?> dependsOn, RolloutStrategy rolloutStrategy) {
        ObjectNode bundle = Json.newObject(Kind.BUNDLE, namespace, name);
        Json.metadata(bundle).set("labels", Json.MAPPER.valueToTree(labels));
        ObjectNode spec = Json.MAPPER.valueToTree(targets.options());
        if (targets.paused()) {
            spec.put("paused", true);
        }
        if (targetCustomizationMode != null && !targetCustomizationMode.isEmpty()) {
            spec.put("targetCustomizationMode", targetCustomizationMode);
        }
        spec.set("targets", Json.MAPPER.valueToTree(targets.targets()));
        spec.set("targetRestrictions", Json.MAPPER.valueToTree(targets.targetRestrictions()));
        if (rolloutStrategy != null) {
            spec.set("rolloutStrategy", Json.MAPPER.valueToTree(rolloutStrategy));
        }
        if (dependsOn != null && !dependsOn.isEmpty()) {
            spec.set("dependsOn", Json.MAPPER.valueToTree(dependsOn));
        }
        spec.put("contentId", contentId);
        spec.set("resources", Json.MAPPER.valueToTree(resources));
        bundle.set("spec", spec);
        return bundle;
    }
}

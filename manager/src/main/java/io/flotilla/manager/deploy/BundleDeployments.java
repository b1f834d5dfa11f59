package io.flotilla.manager.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.targeting.ClusterKey;
import io.flotilla.manager.targeting.DesiredDeployment;

/** The stored form of a BundleDeployment, made from what targeting decided. */
public final class BundleDeployments {
    public static final String CLUSTER_LABEL = "flotilla.io/cluster";
    public static final String CLUSTER_NAMESPACE_LABEL = "flotilla.io/cluster-namespace";
    public static final String BUNDLE_NAME_LABEL = "flotilla.io/bundle-name";
    public static final String BUNDLE_NAMESPACE_LABEL = "flotilla.io/bundle-namespace";
    public static final String REPO_LABEL = "flotilla.io/repo-name";

    private BundleDeployments() {
    }

    /** A new BD object for {@code desired}; spec fields follow Fleet's names (§1.3, §5.3). */
    public static ObjectNode toObject(DesiredDeployment desired, JsonNode bundleSpec) {
        ObjectNode bd = Json.newObject(Kind.BUNDLE_DEPLOYMENT, desired.bdNamespace(), desired.bdName());
        Json.metadata(bd).set("labels", Json.MAPPER.valueToTree(desired.labels()));
        writeSpec(bd, desired, bundleSpec);
        return bd;
    }

    /** Replaces labels and spec of a stored BD with the desired ones (status is kept by the store). */
    public static ObjectNode update(ObjectNode stored, DesiredDeployment desired, JsonNode bundleSpec) {
        ObjectNode bd = stored.deepCopy();
        Json.metadata(bd).set("labels", Json.MAPPER.valueToTree(desired.labels()));
        writeSpec(bd, desired, bundleSpec);
        return bd;
    }

    /** The spec fields a BD copies from its bundle (§5.3): {@code dependsOn} and {@code paused}. */
    public static ObjectNode bundleFacts(JsonNode bundleSpec) {
        ObjectNode facts = Json.object();
        if (bundleSpec != null && bundleSpec.path("dependsOn").size() > 0) {
            facts.set("dependsOn", bundleSpec.get("dependsOn"));
        }
        if (bundleSpec != null && bundleSpec.path("paused").asBoolean(false)) {
            facts.put("paused", true);
        }
        return facts;
    }

    /**
     * The BD for {@code desired} as the rollout decided (§5.3, §8): the wanted options are staged when {@code stage}
     * and released (copied to {@code options}/{@code deploymentID}, which the agent deploys) when {@code promote};
     * otherwise the stored BD's staged and released parts are kept. A BD never released has an empty deploymentID.
     *
     * @param stored the stored BD, or null for a new one
     * @param paused the cluster or the bundle is paused
     */
    public static ObjectNode write(ObjectNode stored, DesiredDeployment desired, JsonNode bundleFacts, boolean stage,
                                   boolean promote, boolean paused) {
        ObjectNode bd = stored == null ? Json.newObject(Kind.BUNDLE_DEPLOYMENT, desired.bdNamespace(), desired.bdName())
                : stored.deepCopy();
        JsonNode old = stored == null ? Json.object() : stored.path("spec");
        Json.metadata(bd).set("labels", Json.MAPPER.valueToTree(desired.labels()));
        JsonNode wanted = Json.MAPPER.valueToTree(desired.options());
        String stagedId = stage ? desired.deploymentId() : old.path("stagedDeploymentID").asText("");
        JsonNode stagedOptions = stage ? wanted : old.get("stagedOptions");
        String releasedId = promote ? desired.deploymentId() : old.path("deploymentID").asText("");
        JsonNode released = promote ? wanted : old.get("options");
        if (!promote && !paused && stage && releasedId.equals(desired.deploymentId())) {
            // same deploymentID: option changes it does not cover (diff, namespace labels) are released at once
            released = wanted;
        }
        ObjectNode spec = bd.putObject("spec");
        spec.put("deploymentID", releasedId);
        if (released != null && !released.isNull()) {
            spec.set("options", released.deepCopy());
        }
        spec.put("stagedDeploymentID", stagedId);
        if (stagedOptions != null && !stagedOptions.isNull()) {
            spec.set("stagedOptions", stagedOptions.deepCopy());
        }
        spec.put("contentId", contentId(releasedId));
        if (released != null && released.hasNonNull("correctDrift")) {
            spec.set("correctDrift", released.get("correctDrift").deepCopy());
        }
        if (bundleFacts != null) {
            bundleFacts.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("paused")) {
                    spec.set(e.getKey(), e.getValue());
                }
            });
        }
        if (paused) {
            spec.put("paused", true);
        }
        spec.put("matchedTarget", desired.matchedTarget());
        spec.set("matchedCustomizations", Json.MAPPER.valueToTree(desired.matchedCustomizations()));
        return bd;
    }

    private static void writeSpec(ObjectNode bd, DesiredDeployment desired, JsonNode bundleFacts) {
        ObjectNode spec = bd.putObject("spec");
        JsonNode options = Json.MAPPER.valueToTree(desired.options());
        spec.put("deploymentID", desired.deploymentId());
        spec.set("options", options);
        spec.put("stagedDeploymentID", desired.deploymentId());
        spec.set("stagedOptions", options.deepCopy());
        spec.put("contentId", contentId(desired.deploymentId()));
        if (desired.options().correctDrift() != null) {
            spec.set("correctDrift", Json.MAPPER.valueToTree(desired.options().correctDrift()));
        }
        if (bundleFacts != null) {
            bundleFacts.fields().forEachRemaining(e -> spec.set(e.getKey(), e.getValue()));
        }
        spec.put("matchedTarget", desired.matchedTarget());
        spec.set("matchedCustomizations", Json.MAPPER.valueToTree(desired.matchedCustomizations()));
    }

    /** A deploymentID is {@code <manifestID>:<options hash>}; the content id is the first part. */
    public static String contentId(String deploymentId) {
        int colon = deploymentId.indexOf(':');
        return colon < 0 ? deploymentId : deploymentId.substring(0, colon);
    }

    /** The registration namespace and name of the cluster a stored BD belongs to. */
    public static ClusterKey cluster(JsonNode bd) {
        JsonNode labels = bd.path("metadata").path("labels");
        return new ClusterKey(labels.path(CLUSTER_NAMESPACE_LABEL).asText(), labels.path(CLUSTER_LABEL).asText());
    }
}

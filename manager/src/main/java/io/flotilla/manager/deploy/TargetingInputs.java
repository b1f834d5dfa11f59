package io.flotilla.manager.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleResource;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.DeploymentIds;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.LabelSelectorSpec;
import io.flotilla.bundle.options.RolloutStrategy;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.targeting.BundleInfo;
import io.flotilla.manager.targeting.ClusterGroupInfo;
import io.flotilla.manager.targeting.ClusterInfo;

import java.util.List;
import java.util.Map;

/** Reads stored Cluster, ClusterGroup and Bundle objects into the targeting engine's inputs. */
public final class TargetingInputs {
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<BundleTarget>> TARGETS = new TypeReference<>() {
    };
    private static final TypeReference<List<GitTarget>> GIT_TARGETS = new TypeReference<>() {
    };
    private static final TypeReference<List<BundleResource>> RESOURCES = new TypeReference<>() {
    };

    /** Bundle spec keys that are not options (the rest of the spec is the inline BundleDeploymentOptions). */
    static final List<String> BUNDLE_SPEC_NON_OPTIONS = List.of("targets", "targetRestrictions",
            "targetCustomizationMode", "resources", "contentId", "paused", "dependsOn", "rolloutStrategy");

    private TargetingInputs() {
    }

    public static ClusterInfo cluster(ObjectNode cluster) {
        JsonNode md = cluster.path("metadata");
        return new ClusterInfo(Json.namespace(cluster), Json.name(cluster), map(md.get("labels"), STRING_MAP),
                map(md.get("annotations"), STRING_MAP), map(cluster.path("spec").get("templateValues"), OBJECT_MAP));
    }

    public static ClusterGroupInfo group(ObjectNode group) {
        JsonNode selector = group.path("spec").get("selector");
        return new ClusterGroupInfo(Json.namespace(group), Json.name(group), Json.labels(group),
                selector == null || selector.isNull() ? null : convert(selector, LabelSelectorSpec.class));
    }

    public static BundleInfo bundle(ObjectNode bundle) {
        JsonNode spec = bundle.path("spec");
        RolloutStrategy rollout = rolloutStrategy(spec);
        List<GitTarget> partitions = rollout == null || rollout.partitions() == null ? List.of()
                : rollout.partitions().stream().map(RolloutStrategy.Partition::matcher).toList();
        return new BundleInfo(Json.namespace(bundle), Json.name(bundle), Json.labels(bundle), options(spec),
                list("spec.targets", spec.get("targets"), TARGETS),
                list("spec.targetRestrictions", spec.get("targetRestrictions"), GIT_TARGETS),
                Json.text(spec, "targetCustomizationMode"), contentId(spec), partitions);
    }

    /** A Bundle's {@code spec.rolloutStrategy}, or null. */
    public static RolloutStrategy rolloutStrategy(JsonNode spec) {
        JsonNode node = spec.get("rolloutStrategy");
        return node == null || node.isNull() ? null : convert("spec.rolloutStrategy", node, RolloutStrategy.class);
    }

    /**
     * The manifestID of a bundle: {@code spec.contentId} as the manager writes it, else computed from
     * {@code spec.resources} (§5.4) for a Bundle written elsewhere (Fleet's tooling, a file given to the CLI).
     */
    public static String contentId(JsonNode spec) {
        String stored = Json.text(spec, "contentId");
        if (stored != null && !stored.isEmpty()) {
            return stored;
        }
        return DeploymentIds.manifestId(list("spec.resources", spec.get("resources"), RESOURCES));
    }

    /** The inline options of a Bundle spec. */
    public static BundleDeploymentOptions options(JsonNode spec) {
        ObjectNode options = spec instanceof ObjectNode o ? o.deepCopy() : Json.object();
        options.remove(BUNDLE_SPEC_NON_OPTIONS);
        return convert("spec", options, BundleDeploymentOptions.class);
    }

    private static <T> T map(JsonNode node, TypeReference<T> type) {
        return node == null || node.isNull() ? null : convert(node, type);
    }

    private static <T> List<T> list(String field, JsonNode node, TypeReference<List<T>> type) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + ": expected a list, got " + node.getNodeType().name().toLowerCase());
        }
        try {
            return Json.MAPPER.readerFor(type).readValue(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + where(e) + ": " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    private static <T> T convert(String field, JsonNode node, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + where(e) + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The path inside the field where Jackson stopped, e.g. {@code [0].clusterSelector}. */
    private static String where(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m)) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (var ref : m.getPath()) {
            path.append(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
        }
        return path.toString();
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored object does not match " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private static <T> T convert(JsonNode node, TypeReference<T> type) {
        try {
            return Json.MAPPER.readerFor(type).readValue(node);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("stored object has an unexpected shape: " + e.getMessage(), e);
        }
    }
}

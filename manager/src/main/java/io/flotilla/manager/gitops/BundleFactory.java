package io.flotilla.manager.gitops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.bundle.fleetyaml.FleetYaml;
import io.flotilla.bundle.fleetyaml.FleetYamlTargets;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.reader.ScannedBundle;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.deploy.BundleObjects;
import io.flotilla.manager.targeting.BundleTargetsBuilder;
import io.flotilla.manager.targeting.BundleTargetsBuilder.GitRepoSettings;

import java.util.List;

/** Turns a bundle read from a GitRepo's checkout into the Bundle object the manager stores (§2.5). */
public final class BundleFactory {
    private static final TypeReference<List<GitTarget>> GIT_TARGETS = new TypeReference<>() {
    };

    private BundleFactory() {
    }

    /** The GitRepo spec fields that shape its bundles' targets and options. */
    public static GitRepoSettings settings(JsonNode gitRepo) {
        JsonNode spec = gitRepo.path("spec");
        try {
            List<GitTarget> targets = spec.hasNonNull("targets")
                    ? Json.MAPPER.readerFor(GIT_TARGETS).readValue(spec.get("targets")) : List.of();
            BundleDeploymentOptions.CorrectDrift correctDrift = spec.hasNonNull("correctDrift")
                    ? Json.MAPPER.treeToValue(spec.get("correctDrift"), BundleDeploymentOptions.CorrectDrift.class) : null;
            return new GitRepoSettings(targets, Json.text(spec, "targetNamespace"), spec.path("paused").asBoolean(false),
                    spec.path("keepResources").asBoolean(false), spec.path("deleteNamespace").asBoolean(false),
                    correctDrift, Json.text(spec, "serviceAccount"), spec.path("forceSyncGeneration").asLong(0));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("GitRepo " + Json.name(gitRepo) + ": spec does not match the GitRepo schema: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    /** The Bundle object for {@code scanned}, in the GitRepo's namespace. */
    public static ObjectNode bundle(String namespace, ScannedBundle scanned, GitRepoSettings gitRepo) {
        FleetYaml fleetYaml = scanned.fleetYaml();
        var targets = BundleTargetsBuilder.build(fleetYaml.options(), Boolean.TRUE.equals(fleetYaml.paused()),
                FleetYamlTargets.customizationsOf(fleetYaml), fleetYaml.overrideTargets(), gitRepo);
        return BundleObjects.toObject(namespace, scanned.name(), scanned.labels(), targets,
                fleetYaml.targetCustomizationMode(), scanned.resources(), scanned.contentId(), fleetYaml.dependsOn(),
                fleetYaml.rolloutStrategy());
    }
}

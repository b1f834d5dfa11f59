package io.flotilla.bundle.fleetyaml;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.Copies;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.RolloutStrategy;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code fleet.yaml} (fleet-semantics §1.7). {@code options} are the BundleSpec options written
 * inline at the top level of the file.
 *
 * <p>Never null: {@code labels}, {@code annotations}, {@code options}, {@code dependsOn}, {@code targets},
 * {@code targetCustomizations}, {@code imageScans}. {@code overrideTargets} keeps the difference between
 * absent ({@code null}: GitRepo targets apply) and present-but-empty (GitRepo targets discarded, §2.5/§9 item 4).
 * {@code targetCustomizationMode} is null, {@code FirstMatch} or {@code AllMatches}.
 */
public record FleetYaml(
        String name,
        Map<String, String> labels,
        Map<String, String> annotations,
        BundleDeploymentOptions options,
        Boolean paused,
        RolloutStrategy rolloutStrategy,
        List<DependsOn> dependsOn,
        String targetCustomizationMode,
        List<BundleTarget> targets,
        List<BundleTarget> targetCustomizations,
        List<GitTarget> overrideTargets,
        List<Map<String, Object>> imageScans) {

    public static final String FIRST_MATCH = "FirstMatch";
    public static final String ALL_MATCHES = "AllMatches";

    public FleetYaml {
        labels = labels == null ? Map.of() : Copies.map(labels);
        annotations = annotations == null ? Map.of() : Copies.map(annotations);
        options = options == null ? BundleDeploymentOptions.empty() : options;
        dependsOn = dependsOn == null ? List.of() : Copies.list(dependsOn);
        targets = targets == null ? List.of() : Copies.list(targets);
        targetCustomizations = targetCustomizations == null ? List.of() : Copies.list(targetCustomizations);
        overrideTargets = Copies.list(overrideTargets);
        imageScans = imageScans == null ? List.of() : imageScans.stream().map(Copies::deepMap).toList();
    }

    /** What an empty fleet.yaml (or none) means: every field at its default. */
    public static FleetYaml empty() {
        return new FleetYaml(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** True when {@code targetCustomizationMode} is {@code AllMatches}; empty/absent means FirstMatch. */
    public boolean allMatches() {
        return ALL_MATCHES.equals(targetCustomizationMode);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static FleetYaml fromJson(FleetYamlJson json) {
        return json.toFleetYaml();
    }

    @JsonValue
    FleetYamlJson toJson() {
        return FleetYamlJson.of(this);
    }
}

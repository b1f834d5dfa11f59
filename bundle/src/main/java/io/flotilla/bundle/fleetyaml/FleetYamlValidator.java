package io.flotilla.bundle.fleetyaml;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.LabelSelectorRequirement;
import io.flotilla.bundle.options.LabelSelectorSpec;
import io.flotilla.bundle.options.RolloutStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The read-time rules of fleet-semantics §1.7, plus label selector and Helm release name well-formedness. */
final class FleetYamlValidator {

    /** One broken rule at a field path. */
    record Violation(String path, String message) {
    }

    private static final Set<String> OPERATORS = Set.of(LabelSelectorRequirement.IN, LabelSelectorRequirement.NOT_IN,
            LabelSelectorRequirement.EXISTS, LabelSelectorRequirement.DOES_NOT_EXIST);
    private static final Pattern RELEASE_NAME =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final int MAX_RELEASE_NAME = 53;

    private final List<Violation> violations = new ArrayList<>();

    private FleetYamlValidator() {
    }

    /** Every violation, in the order the fields appear in a fleet.yaml written by {@link FleetYamlParser#toYaml}. */
    static List<Violation> validate(FleetYaml fleetYaml) {
        FleetYamlValidator v = new FleetYamlValidator();
        v.options("", fleetYaml.options());
        v.rollout(fleetYaml.rolloutStrategy());
        v.dependsOn(fleetYaml.dependsOn());
        v.mode(fleetYaml.targetCustomizationMode());
        v.targets("targets", fleetYaml.targets());
        v.targets("targetCustomizations", fleetYaml.targetCustomizations());
        if (fleetYaml.overrideTargets() != null) {
            for (int i = 0; i < fleetYaml.overrideTargets().size(); i++) {
                v.matcher("overrideTargets[" + i + "]", fleetYaml.overrideTargets().get(i));
            }
        }
        return List.copyOf(v.violations);
    }

    private void options(String prefix, BundleDeploymentOptions options) {
        if (options.helm() != null && options.helm().releaseName() != null) {
            String name = options.helm().releaseName();
            if (name.length() > MAX_RELEASE_NAME || !RELEASE_NAME.matcher(name).matches()) {
                add(prefix + "helm.releaseName", "invalid Helm release name \"" + name + "\": at most "
                        + MAX_RELEASE_NAME + " characters of lowercase letters, digits, '-' and '.', "
                        + "starting and ending with a letter or digit");
            }
        }
        selector(prefix + "allowedTargetNamespaceSelector", options.allowedTargetNamespaceSelector());
    }

    private void rollout(RolloutStrategy rollout) {
        if (rollout == null || rollout.partitions() == null) {
            return;
        }
        for (int i = 0; i < rollout.partitions().size(); i++) {
            matcher("rolloutStrategy.partitions[" + i + "]", rollout.partitions().get(i).matcher());
        }
    }

    private void dependsOn(List<DependsOn> dependsOn) {
        for (int i = 0; i < dependsOn.size(); i++) {
            DependsOn d = dependsOn.get(i);
            String path = "dependsOn[" + i + "]";
            if ((d.name() == null || d.name().isEmpty()) && d.selector() == null) {
                add(path, path + ": must specify either 'name' or 'selector'");
            }
            selector(path + ".selector", d.selector());
            for (int j = 0; j < d.acceptedStates().size(); j++) {
                String state = d.acceptedStates().get(j);
                if (!DependsOn.BUNDLE_STATES.contains(state)) {
                    add(path + ".acceptedStates[" + j + "]", "invalid accepted state \"" + state + "\" (valid: "
                            + String.join(", ", DependsOn.BUNDLE_STATES) + ")");
                }
            }
        }
    }

    private void mode(String mode) {
        if (mode != null && !mode.isEmpty() && !FleetYaml.FIRST_MATCH.equals(mode)
                && !FleetYaml.ALL_MATCHES.equals(mode)) {
            add("targetCustomizationMode", "invalid targetCustomizationMode \"" + mode + "\" (valid: "
                    + FleetYaml.FIRST_MATCH + ", " + FleetYaml.ALL_MATCHES + ", or empty)");
        }
    }

    private void targets(String field, List<BundleTarget> targets) {
        for (int i = 0; i < targets.size(); i++) {
            String path = field + "[" + i + "]";
            matcher(path, targets.get(i).matcher());
            options(path + ".", targets.get(i).options());
        }
    }

    private void matcher(String path, GitTarget target) {
        selector(path + ".clusterSelector", target.clusterSelector());
        selector(path + ".clusterGroupSelector", target.clusterGroupSelector());
    }

    private void selector(String path, LabelSelectorSpec selector) {
        if (selector == null) {
            return;
        }
        for (int i = 0; i < selector.matchExpressions().size(); i++) {
            LabelSelectorRequirement r = selector.matchExpressions().get(i);
            String at = path + ".matchExpressions[" + i + "]";
            if (r.key() == null || r.key().isEmpty()) {
                add(at + ".key", "label selector requirement needs a key");
            }
            if (r.operator() == null || !OPERATORS.contains(r.operator())) {
                add(at + ".operator", "invalid label selector operator \"" + r.operator()
                        + "\" (valid: In, NotIn, Exists, DoesNotExist)");
            } else if (isSetOperator(r.operator()) && r.values().isEmpty()) {
                add(at + ".values", "operator " + r.operator() + " needs at least one value");
            } else if (!isSetOperator(r.operator()) && !r.values().isEmpty()) {
                add(at + ".values", "operator " + r.operator() + " takes no values");
            }
        }
    }

    private static boolean isSetOperator(String operator) {
        return LabelSelectorRequirement.IN.equals(operator) || LabelSelectorRequirement.NOT_IN.equals(operator);
    }

    private void add(String path, String message) {
        violations.add(new Violation(path, message));
    }
}

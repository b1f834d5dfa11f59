package io.flotilla.manager.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.bundle.options.LabelSelectorRequirement;
import io.flotilla.bundle.options.LabelSelectorSpec;
import io.flotilla.manager.targeting.BundleTargetsBuilder.BundleTargets;
import io.flotilla.manager.targeting.BundleTargetsBuilder.GitRepoSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random clusters, groups and bundles changed one at a time: the incrementally maintained desired set, and the
 * set obtained by applying every reported change, must both equal a full recompute with {@link TargetingEngine}.
 */
class TargetingIndexPropertyTest {

    private static final long SEED = 20261127L;
    private static final int ITERATIONS = 200;
    private static final int STEPS = 40;
    private static final List<String> NAMESPACES = List.of("ns1", "ns2");
    private static final List<String> KEYS = List.of("env", "tier", "zone");
    private static final List<String> VALUES = List.of("a", "b", "c");

    @Test
    void incrementalIndexEqualsFullRecompute() {
        Random random = new Random(SEED);
        int deploymentsSeen = 0;
        int doNotDeploysSeen = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            World world = new World(random);
            TargetingIndex index = new TargetingIndex();
            Map<String, DesiredDeployment> applied = new HashMap<>();
            for (int step = 0; step < STEPS; step++) {
                BdChanges changes = world.randomChange(index);
                assertThat(changes.errors()).as("iteration %d step %d", iteration, step).isEmpty();
                changes.deleted().forEach(d -> assertThat(applied.remove(key(d))).isNotNull());
                changes.updated().forEach(d -> assertThat(applied.put(key(d), d)).isNotNull().isNotEqualTo(d));
                changes.created().forEach(d -> assertThat(applied.put(key(d), d)).isNull());
            }
            Map<String, DesiredDeployment> expected = world.fullRecompute();
            Map<String, DesiredDeployment> actual = new HashMap<>();
            index.allDesired().forEach(d -> actual.put(key(d), d));
            assertThat(actual).as("iteration %d", iteration).isEqualTo(expected);
            assertThat(applied).as("changes of iteration %d", iteration).isEqualTo(expected);
            deploymentsSeen += expected.size();
            doNotDeploysSeen += world.doNotDeployExclusions();
        }
        // the generator must exercise the interesting paths, not just produce empty sets
        assertThat(deploymentsSeen).isGreaterThan(ITERATIONS * 3);
        assertThat(doNotDeploysSeen).isGreaterThan(ITERATIONS / 4);
    }

    private static String key(DesiredDeployment d) {
        return d.clusterKey() + "|" + d.bdName();
    }

    /** The current inputs, mirrored so the full recompute sees exactly what the index saw. */
    private static final class World {
        private final Random random;
        private final Map<String, ClusterInfo> clusters = new LinkedHashMap<>();
        private final Map<String, ClusterGroupInfo> groups = new LinkedHashMap<>();
        private final Map<String, BundleInfo> bundles = new LinkedHashMap<>();

        World(Random random) {
            this.random = random;
        }

        BdChanges randomChange(TargetingIndex index) {
            int op = random.nextInt(10);
            String ns = pick(NAMESPACES);
            if (op < 4) {
                ClusterInfo c = cluster(ns, "c" + random.nextInt(6));
                clusters.put(c.key().toString(), c);
                return index.upsertCluster(c);
            }
            if (op == 4 && !clusters.isEmpty()) {
                ClusterInfo c = pick(new ArrayList<>(clusters.values()));
                clusters.remove(c.key().toString());
                return index.removeCluster(c.key());
            }
            if (op == 5) {
                ClusterGroupInfo g = new ClusterGroupInfo(ns, "g" + random.nextInt(3), labels(2), groupSelector());
                groups.put(ns + "/" + g.name(), g);
                return index.upsertGroup(g);
            }
            if (op == 6 && !groups.isEmpty()) {
                ClusterGroupInfo g = pick(new ArrayList<>(groups.values()));
                groups.remove(g.namespace() + "/" + g.name());
                return index.removeGroup(g.namespace(), g.name());
            }
            if (op == 7 && !bundles.isEmpty()) {
                BundleInfo b = pick(new ArrayList<>(bundles.values()));
                bundles.remove(b.key().toString());
                return index.removeBundle(b.key());
            }
            BundleInfo b = bundle(ns, "b" + random.nextInt(4));
            bundles.put(b.key().toString(), b);
            return index.upsertBundle(b);
        }

        Map<String, DesiredDeployment> fullRecompute() {
            Map<String, DesiredDeployment> all = new HashMap<>();
            for (BundleInfo b : bundles.values()) {
                TargetingResult result = TargetingEngine.evaluate(b, clusters.values(), groups.values());
                assertThat(result.failed()).isFalse();
                result.deployments().values().forEach(d -> all.put(key(d), d));
            }
            return all;
        }

        int doNotDeployExclusions() {
            int n = 0;
            for (BundleInfo b : bundles.values()) {
                n += (int) TargetingEngine.evaluate(b, clusters.values(), groups.values()).exclusions().values()
                        .stream().filter(e -> e instanceof Exclusion.DoNotDeploy).count();
            }
            return n;
        }

        private ClusterInfo cluster(String ns, String name) {
            Map<String, String> labels = labels(3);
            if (random.nextInt(8) == 0) {
                labels.put(ClusterMatcher.DISPLAY_NAME_LABEL, "c" + random.nextInt(6));
            }
            return new ClusterInfo(ns, name, labels, Map.of(), Map.of("size", random.nextInt(3)));
        }

        private BundleInfo bundle(String ns, String name) {
            List<BundleTarget> customizations = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                GitTarget criteria = target();
                customizations.add(new BundleTarget("custom" + i, criteria.clusterName(), criteria.clusterSelector(),
                        criteria.clusterGroup(), criteria.clusterGroupSelector(), random.nextInt(4) == 0,
                        random.nextInt(4) == 0 ? Map.of("ns-label", "v" + i) : null, null, options()));
            }
            List<GitTarget> overrideTargets = switch (random.nextInt(4)) {
                case 0 -> List.of();
                case 1 -> List.of(target(), target());
                default -> null;
            };
            List<GitTarget> gitTargets = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                gitTargets.add(target());
            }
            BundleTargets built = BundleTargetsBuilder.build(options(), false, customizations, overrideTargets,
                    random.nextInt(5) == 0 ? null : GitRepoSettings.of(gitTargets));
            return new BundleInfo(ns, name, Map.of("flotilla.io/repo-name", "r"), built.options(), built.targets(),
                    built.targetRestrictions(), random.nextBoolean() ? BundleInfo.ALL_MATCHES : null,
                    "s-" + random.nextInt(2));
        }

        private BundleDeploymentOptions options() {
            return switch (random.nextInt(4)) {
                case 0 -> null;
                case 1 -> BundleDeploymentOptions.builder().helm(HelmOptions.builder()
                        .values(Map.of(pick(KEYS), pick(VALUES))).build()).build();
                case 2 -> BundleDeploymentOptions.builder().helm(HelmOptions.builder()
                        .values(Map.of("who", "${ .ClusterName }-${ .ClusterValues.size }")).build()).build();
                default -> BundleDeploymentOptions.builder().namespace(pick(VALUES)).build();
            };
        }

        private GitTarget target() {
            return switch (random.nextInt(7)) {
                case 0 -> new GitTarget(null, "c" + random.nextInt(6), null, null, null);
                case 1 -> new GitTarget(null, null, selector(), null, null);
                case 2 -> new GitTarget(null, null, null, "g" + random.nextInt(3), null);
                case 3 -> new GitTarget(null, null, null, null, selector());
                case 4 -> new GitTarget(null, null, selector(), "g" + random.nextInt(3), selector());
                case 5 -> new GitTarget(null, null, LabelSelectorSpec.everything(), null, null);
                default -> new GitTarget("empty", null, null, null, null);
            };
        }

        private LabelSelectorSpec groupSelector() {
            return random.nextInt(5) == 0 ? null : selector();
        }

        private LabelSelectorSpec selector() {
            Map<String, String> matchLabels = random.nextBoolean() ? labels(1) : Map.of();
            List<LabelSelectorRequirement> expressions = new ArrayList<>();
            if (random.nextBoolean()) {
                String op = pick(List.of("In", "NotIn", "Exists", "DoesNotExist"));
                List<String> values = op.endsWith("In") ? List.of(pick(VALUES), pick(VALUES)) : List.of();
                expressions.add(new LabelSelectorRequirement(pick(KEYS), op, values));
            }
            return new LabelSelectorSpec(matchLabels, expressions);
        }

        private Map<String, String> labels(int max) {
            Map<String, String> labels = new HashMap<>();
            for (int i = random.nextInt(max + 1); i > 0; i--) {
                labels.put(pick(KEYS), pick(VALUES));
            }
            return labels;
        }

        private <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }
    }
}

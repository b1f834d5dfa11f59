package io.flotilla.manager.targeting;

import static io.flotilla.manager.targeting.Fixtures.byName;
import static io.flotilla.manager.targeting.Fixtures.customization;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.CorrectDrift;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.GitTarget;
import io.flotilla.manager.targeting.BundleTargetsBuilder.BundleTargets;
import io.flotilla.manager.targeting.BundleTargetsBuilder.GitRepoSettings;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BundleTargetsBuilderTest {

    private static final BundleTarget CUSTOM = customization("custom", byName("c9"), null);
    private static final BundleTarget DEFAULT = BundleTarget.of(BundleTargetsBuilder.DEFAULT_TARGET);

    static Stream<Arguments> targetLists() {
        return Stream.of(
                Arguments.of("GitRepo targets appended as targets and restrictions",
                        List.of(CUSTOM), null, GitRepoSettings.of(List.of(byName("a"), byName("b"))),
                        List.of(CUSTOM, BundleTarget.of(byName("a")), BundleTarget.of(byName("b"))),
                        List.of(byName("a"), byName("b"))),
                Arguments.of("GitRepo without targets: default target with a restriction",
                        List.of(), null, GitRepoSettings.of(List.of()), List.of(DEFAULT),
                        List.of(BundleTargetsBuilder.DEFAULT_TARGET)),
                Arguments.of("overrideTargets replace the GitRepo targets",
                        List.of(CUSTOM), List.of(byName("o")), GitRepoSettings.of(List.of(byName("a"))),
                        List.of(CUSTOM, BundleTarget.of(byName("o"))), List.of(byName("o"))),
                Arguments.of("overrideTargets: [] without customizations: default target, no restriction",
                        List.of(), List.of(), GitRepoSettings.of(List.of(byName("a"))), List.of(DEFAULT), List.of()),
                Arguments.of("overrideTargets: [] with customizations: only customizations, no restriction",
                        List.of(CUSTOM), List.of(), GitRepoSettings.of(List.of(byName("a"))), List.of(CUSTOM),
                        List.of()),
                Arguments.of("no GitRepo and no customizations: default target",
                        List.of(), null, null, List.of(DEFAULT), List.of()),
                Arguments.of("no GitRepo: customizations are the targets",
                        List.of(CUSTOM), null, null, List.of(CUSTOM), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targetLists")
    void buildsTargetsAndRestrictionsInOrder(String rule, List<BundleTarget> customizations,
            List<GitTarget> overrideTargets, GitRepoSettings gitRepo, List<BundleTarget> targets,
            List<GitTarget> restrictions) {
        BundleTargets built = BundleTargetsBuilder.build(null, false, customizations, overrideTargets, gitRepo);
        assertThat(built.targets()).isEqualTo(targets);
        assertThat(built.targetRestrictions()).isEqualTo(restrictions);
    }

    @Test
    void gitRepoTargetNamespaceGoesToTheBundleAndEveryTarget() {
        BundleTargets built = BundleTargetsBuilder.build(null, false, List.of(CUSTOM), null,
                new GitRepoSettings(List.of(byName("a")), "apps", false, false, false, null, null, 0));
        assertThat(built.options().namespace()).isEqualTo("apps");
        assertThat(built.targets()).extracting(t -> t.options().namespace()).containsOnly("apps");
    }

    @Test
    void gitRepoSwitchesFlagsOnButNeverOff() {
        BundleDeploymentOptions fromFleetYaml = BundleDeploymentOptions.builder().keepResources(true)
                .deleteNamespace(true).serviceAccount("own").forceSyncGeneration(7).build();
        BundleTargets off = BundleTargetsBuilder.build(fromFleetYaml, true, List.of(), null,
                new GitRepoSettings(List.of(), null, false, false, false, new CorrectDrift(false, true, false), "",
                        0));
        assertThat(off.paused()).isTrue();
        assertThat(off.options().keepResources()).isTrue();
        assertThat(off.options().deleteNamespace()).isTrue();
        assertThat(off.options().serviceAccount()).isEqualTo("own");
        assertThat(off.options().correctDrift()).isNull();
        assertThat(off.options().forceSyncGeneration()).isZero();

        BundleTargets on = BundleTargetsBuilder.build(null, false, List.of(), null,
                new GitRepoSettings(List.of(), null, true, true, true, new CorrectDrift(true, false, false), "sa",
                        3));
        assertThat(on.paused()).isTrue();
        assertThat(on.options().keepResources()).isTrue();
        assertThat(on.options().deleteNamespace()).isTrue();
        assertThat(on.options().serviceAccount()).isEqualTo("sa");
        assertThat(on.options().correctDrift()).isEqualTo(new CorrectDrift(true, false, false));
        assertThat(on.options().forceSyncGeneration()).isEqualTo(3);
    }
}

package io.flotilla.manager.targeting;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.CorrectDrift;
import io.flotilla.bundle.options.BundleTarget;
import io.flotilla.bundle.options.GitTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps 4-7 of fleet-semantics §2.5: appends overrideTargets or the GitRepo targets (as targets and as
 * restrictions) after a fleet.yaml's customizations, falls back to the default target, and applies the GitRepo's
 * targetNamespace, paused, keepResources, deleteNamespace, correctDrift, serviceAccount and forceSyncGeneration.
 */
public final class BundleTargetsBuilder {

    /** The implicit target of a GitRepo without targets, and of a bundle that would otherwise have none. */
    public static final GitTarget DEFAULT_TARGET = new GitTarget("default", null, null, "default", null);

    /** The GitRepo spec fields that shape a bundle's targets and options. */
    public record GitRepoSettings(List<GitTarget> targets, String targetNamespace, boolean paused,
            boolean keepResources, boolean deleteNamespace, CorrectDrift correctDrift, String serviceAccount,
            long forceSyncGeneration) {

        public GitRepoSettings {
            targets = targets == null ? List.of() : List.copyOf(targets);
        }

        public static GitRepoSettings of(List<GitTarget> targets) {
            return new GitRepoSettings(targets, null, false, false, false, null, null, 0);
        }
    }

    /** Bundle spec parts produced from the inputs. */
    public record BundleTargets(BundleDeploymentOptions options, boolean paused, List<BundleTarget> targets,
            List<GitTarget> targetRestrictions) {
    }

    private BundleTargetsBuilder() {
    }

    /**
     * @param customizations  fleet.yaml {@code targets} + {@code targetCustomizations} after steps 1-3
     * @param overrideTargets fleet.yaml {@code overrideTargets}: null when absent, a list (maybe empty) when present
     * @param gitRepo         null for a bundle made without a GitRepo (no targets file)
     */
    public static BundleTargets build(BundleDeploymentOptions options, boolean paused,
            List<BundleTarget> customizations, List<GitTarget> overrideTargets, GitRepoSettings gitRepo) {
        List<BundleTarget> targets = new ArrayList<>(customizations == null ? List.of() : customizations);
        List<GitTarget> restrictions = new ArrayList<>();
        if (overrideTargets != null) {
            for (GitTarget t : overrideTargets) {
                targets.add(BundleTarget.of(t));
                restrictions.add(t);
            }
        } else if (gitRepo != null) {
            // the GitRepo's targets file: one target and one identical restriction per GitRepo target
            List<GitTarget> gitTargets = gitRepo.targets().isEmpty() ? List.of(DEFAULT_TARGET) : gitRepo.targets();
            for (GitTarget t : gitTargets) {
                targets.add(BundleTarget.of(t));
                restrictions.add(t);
            }
        }
        if (targets.isEmpty()) {
            targets.add(BundleTarget.of(DEFAULT_TARGET));
        }
        BundleDeploymentOptions result = options == null ? BundleDeploymentOptions.empty() : options;
        boolean resultPaused = paused;
        if (gitRepo != null) {
            String targetNamespace = gitRepo.targetNamespace();
            if (targetNamespace != null && !targetNamespace.isEmpty()) {
                result = result.toBuilder().namespace(targetNamespace).build();
                targets.replaceAll(t -> t.withOptions(t.options().toBuilder().namespace(targetNamespace).build()));
            }
            BundleDeploymentOptions.Builder b = result.toBuilder();
            resultPaused = paused || gitRepo.paused();
            if (gitRepo.keepResources()) {
                b.keepResources(Boolean.TRUE);
            }
            if (gitRepo.deleteNamespace()) {
                b.deleteNamespace(true);
            }
            if (gitRepo.correctDrift() != null && gitRepo.correctDrift().enabled()) {
                b.correctDrift(gitRepo.correctDrift());
            }
            if (gitRepo.serviceAccount() != null && !gitRepo.serviceAccount().isEmpty()) {
                b.serviceAccount(gitRepo.serviceAccount());
            }
            b.forceSyncGeneration(gitRepo.forceSyncGeneration());
            result = b.build();
        }
        return new BundleTargets(result, resultPaused, List.copyOf(targets), List.copyOf(restrictions));
    }
}

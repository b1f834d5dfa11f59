package io.flotilla.manager.targeting;

/** Why a candidate cluster gets no BundleDeployment of a bundle. */
public sealed interface Exclusion {

    /** No target matched (or the restrictions refused every match). */
    record NotMatched() implements Exclusion {
    }

    /** The matched target or a applied customization says {@code doNotDeploy: true}. */
    record DoNotDeploy(String customizationName) implements Exclusion {
    }

    Exclusion NOT_MATCHED = new NotMatched();
}

package io.flotilla.manager.targeting;

/** Targeting of a bundle failed; its existing BundleDeployments must be kept as they are. */
public record TargetingError(BundleKey bundle, String message) {
}

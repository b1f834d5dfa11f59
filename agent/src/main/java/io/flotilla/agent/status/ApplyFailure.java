package io.flotilla.agent.status;

/**
 * Why the last apply failed, split as fleet-semantics §7.1 splits Helm errors: {@link Kind#NOT_INSTALLED} for
 * errors the objects themselves cause (invalid, unknown field, immutable field) which leave the BD
 * {@code NotReady} with its deploymentID applied; {@link Kind#ERR_APPLIED} for everything else (forbidden,
 * admission webhook, not owned, unreachable) which leaves the previous deploymentID applied.
 */
public record ApplyFailure(Kind kind, String message) {
    public enum Kind { NOT_INSTALLED, ERR_APPLIED }

    public static ApplyFailure notInstalled(String message) {
        return new ApplyFailure(Kind.NOT_INSTALLED, message);
    }

    public static ApplyFailure errApplied(String message) {
        return new ApplyFailure(Kind.ERR_APPLIED, message);
    }
}

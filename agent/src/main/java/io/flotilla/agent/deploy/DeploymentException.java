package io.flotilla.agent.deploy;

/** A BundleDeployment operation that failed against the downstream cluster; the message names the objects. */
public final class DeploymentException extends RuntimeException {
    public DeploymentException(String message) {
        super(message);
    }
}

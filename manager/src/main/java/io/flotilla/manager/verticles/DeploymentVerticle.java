package io.flotilla.manager.verticles;

import io.flotilla.manager.deploy.DeploymentController;

/** Targeting and the BD lifecycle: reconciles the stored BDs with every Bundle, Cluster and ClusterGroup. */
public final class DeploymentVerticle extends ControllerVerticle {
    private final DeploymentController deployments;

    public DeploymentVerticle(DeploymentController deployments) {
        this.deployments = deployments;
    }

    @Override
    protected void startBlocking() throws Exception {
        deployments.start();
    }

    @Override
    protected void stopBlocking() {
        deployments.close();
    }
}

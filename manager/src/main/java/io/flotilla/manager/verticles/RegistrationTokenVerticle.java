package io.flotilla.manager.verticles;

import io.flotilla.manager.registration.RegistrationTokenController;

/** Issues registration tokens written to the store directly ({@code kubectl apply}), into Secrets. */
public final class RegistrationTokenVerticle extends ControllerVerticle {
    private final java.util.function.Supplier<RegistrationTokenController> factory;
    private RegistrationTokenController controller;

    /** @param factory a new controller per deployment (a controller's thread does not survive its close) */
    public RegistrationTokenVerticle(java.util.function.Supplier<RegistrationTokenController> factory) {
        this.factory = factory;
    }

    @Override
    protected void startBlocking() {
        controller = factory.get();
        controller.start();
    }

    @Override
    protected void stopBlocking() throws Exception {
        if (controller != null) {
            controller.close();
            controller = null;
        }
    }
}

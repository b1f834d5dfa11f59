package io.flotilla.manager.verticles;

import io.flotilla.manager.statusapi.StatusController;

/** Status aggregation: replays every stored BD at start, then publishes each change at once. */
public final class StatusVerticle extends ControllerVerticle {
    private final StatusController status;

    public StatusVerticle(StatusController status) {
        this.status = status;
    }

    @Override
    protected void startBlocking() throws Exception {
        status.start();
    }

    @Override
    protected void stopBlocking() {
        status.close();
    }
}

package io.flotilla.manager.verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.concurrent.Callable;

/**
 * A controller's lifecycle as a verticle: deployed when this manager leads (at once in embedded mode), undeployed
 * when it stops leading or shuts down. Start and stop do their blocking work (replaying the store, closing
 * executors) on a worker thread, never on the event loop.
 */
abstract class ControllerVerticle extends VerticleBase {

    /** Blocking: called on a worker thread. */
    protected abstract void startBlocking() throws Exception;

    /** Blocking: called on a worker thread; must let in-flight work finish or hand it over durably. */
    protected abstract void stopBlocking() throws Exception;

    @Override
    public Future<?> start() {
        return blocking(() -> {
            startBlocking();
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        return blocking(() -> {
            stopBlocking();
            return null;
        });
    }

    private Future<Void> blocking(Callable<Void> work) {
        return vertx.executeBlocking(work, false);
    }
}

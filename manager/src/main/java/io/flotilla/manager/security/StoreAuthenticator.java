package io.flotilla.manager.security;

import io.flotilla.manager.core.Blocking;
import io.flotilla.manager.security.policy.Identity;
import io.vertx.core.Future;

/** Embedded mode: user tokens kept (hashed) in the manager's own store, looked up on the store pool. */
public final class StoreAuthenticator implements Authenticator {
    private final UserTokens tokens;
    private final Blocking blocking;

    public StoreAuthenticator(UserTokens tokens, Blocking blocking) {
        this.tokens = tokens;
        this.blocking = blocking;
    }

    @Override
    public Future<Identity> authenticate(String bearerToken) {
        return blocking.run(() -> tokens.authenticate(bearerToken));
    }
}

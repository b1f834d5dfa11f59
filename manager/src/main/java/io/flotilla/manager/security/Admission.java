package io.flotilla.manager.security;

import io.flotilla.manager.security.policy.AccessPolicy;
import io.flotilla.manager.security.policy.ApiRequest;
import io.flotilla.manager.security.policy.Identity;
import io.vertx.core.Future;

/**
 * Decides whether the holder of a bearer token may make a request: authentication and authorisation together,
 * because in Kubernetes mode both are questions to the API server (TokenReview, SubjectAccessReview). Fails with
 * {@link AccessHandler.Denied}; never blocks the calling event loop.
 */
public interface Admission {
    Future<Identity> admit(String bearerToken, ApiRequest request);

    /** Manager user tokens, judged by {@link AccessPolicy}. */
    static Admission userTokens(Authenticator authenticator) {
        return (token, request) -> authenticator.authenticate(token).transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(new AccessHandler.Denied(true, AccessHandler.message(ar.cause())));
            }
            AccessPolicy.Decision decision = AccessPolicy.decide(ar.result(), request);
            return decision.allowed() ? Future.succeededFuture(ar.result())
                    : Future.failedFuture(new AccessHandler.Denied(false, decision.reason()));
        });
    }
}

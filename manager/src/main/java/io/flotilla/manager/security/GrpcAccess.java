package io.flotilla.manager.security;

import io.flotilla.manager.security.policy.ApiRequest;
import io.vertx.core.Handler;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards a gRPC tooling call (the StatusService) as {@link AccessHandler} guards REST: the call is held until its
 * {@code authorization: Bearer …} metadata is resolved and judged; refused calls end with {@code UNAUTHENTICATED} or
 * {@code PERMISSION_DENIED} and the reason.
 */
public final class GrpcAccess {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcAccess.class);

    private GrpcAccess() {
    }

    public static <Req, Resp> Handler<GrpcServerRequest<Req, Resp>> guard(Authenticator authenticator, ApiRequest what,
                                                                           Handler<GrpcServerRequest<Req, Resp>> handler) {
        return guard(Admission.userTokens(authenticator), what, handler);
    }

    public static <Req, Resp> Handler<GrpcServerRequest<Req, Resp>> guard(Admission admission, ApiRequest what,
                                                                           Handler<GrpcServerRequest<Req, Resp>> handler) {
        return request -> {
            request.pause();
            AccessHandler.check(admission, request.headers(), what).onComplete(ar -> {
                if (ar.failed()) {
                    boolean unauthenticated = ar.cause() instanceof AccessHandler.Denied d && d.unauthenticated();
                    LOG.info("{} refused: {}", what.path(), ar.cause().getMessage());
                    try {
                        request.response().status(unauthenticated ? GrpcStatus.UNAUTHENTICATED : GrpcStatus.PERMISSION_DENIED)
                                .statusMessage(ar.cause().getMessage()).end();
                    } catch (IllegalStateException gone) {
                        LOG.debug("call already ended: {}", gone.getMessage());
                    }
                    return;
                }
                handler.handle(request);
                request.resume();
            });
        };
    }
}

package io.flotilla.manager.statusapi;

import io.flotilla.manager.security.Authenticator;
import io.flotilla.manager.security.GrpcAccess;
import io.flotilla.manager.security.policy.ApiRequest;
import io.flotilla.manager.status.StatusKey;
import io.flotilla.proto.v1.StatusEvent;
import io.flotilla.proto.v1.StatusFilter;
import io.flotilla.proto.v1.StatusList;
import io.flotilla.proto.v1.StatusObject;
import io.flotilla.proto.v1.StatusServiceGrpcService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** gRPC {@code StatusService}: Get, List and Watch of aggregated status, for tooling. */
public final class StatusGrpcService {
    private final StatusHub hub;
    private final io.flotilla.manager.security.Admission admission;

    public StatusGrpcService(StatusHub hub, Authenticator authenticator) {
        this(hub, io.flotilla.manager.security.Admission.userTokens(authenticator));
    }

    public StatusGrpcService(StatusHub hub, io.flotilla.manager.security.Admission admission) {
        this.hub = hub;
        this.admission = admission;
    }

    /** Every call needs a bearer token of a role that may read status (see {@code AccessPolicy}). */
    public void bind(GrpcServer server) {
        server.callHandler(StatusServiceGrpcService.Get, GrpcAccess.guard(admission, ApiRequest.statusService("Get"), this::get));
        server.callHandler(StatusServiceGrpcService.List, GrpcAccess.guard(admission, ApiRequest.statusService("List"), this::list));
        server.callHandler(StatusServiceGrpcService.Watch, GrpcAccess.guard(admission, ApiRequest.statusService("Watch"), this::watch));
    }

    /** Kind names as the API spells them ({@code GitRepo}, {@code Bundle}, {@code Cluster}, {@code ClusterGroup}). */
    public static StatusKey.Kind kind(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "gitrepo", "gitrepos" -> StatusKey.Kind.GIT_REPO;
            case "bundle", "bundles" -> StatusKey.Kind.BUNDLE;
            case "cluster", "clusters" -> StatusKey.Kind.CLUSTER;
            case "clustergroup", "clustergroups" -> StatusKey.Kind.CLUSTER_GROUP;
            default -> throw new IllegalArgumentException("unknown kind \"" + name
                    + "\" (GitRepo, Bundle, Cluster, ClusterGroup)");
        };
    }

    public static String kindName(StatusKey.Kind kind) {
        return switch (kind) {
            case GIT_REPO -> "GitRepo";
            case BUNDLE -> "Bundle";
            case CLUSTER -> "Cluster";
            case CLUSTER_GROUP -> "ClusterGroup";
        };
    }

    static StatusHub.Filter filter(StatusFilter f) {
        Set<StatusKey.Kind> kinds = EnumSet.noneOf(StatusKey.Kind.class);
        f.getKindsList().forEach(k -> kinds.add(kind(k)));
        return new StatusHub.Filter(kinds, f.getNamespace(), f.getName());
    }

    static StatusObject toProto(StatusHub.Entry e) {
        return StatusObject.newBuilder()
                .setKey(io.flotilla.proto.v1.StatusKey.newBuilder().setKind(kindName(e.key().kind()))
                        .setNamespace(e.key().namespace()).setName(e.key().name()))
                .setVersion(e.version())
                .setStatusJson(e.json() == null ? "" : e.json())
                .setDeleted(e.deleted())
                .build();
    }

    private void get(GrpcServerRequest<io.flotilla.proto.v1.StatusKey, StatusObject> request) {
        request.last().onSuccess(key -> {
            try {
                StatusHub.Entry e = hub.get(new StatusKey(kind(key.getKind()), key.getNamespace(), key.getName()));
                if (e == null) {
                    request.response().status(GrpcStatus.NOT_FOUND).statusMessage("no status for " + key.getKind() + " "
                            + key.getNamespace() + "/" + key.getName()).end();
                } else {
                    request.response().end(toProto(e));
                }
            } catch (IllegalArgumentException bad) {
                request.response().status(GrpcStatus.INVALID_ARGUMENT).statusMessage(bad.getMessage()).end();
            }
        });
    }

    private void list(GrpcServerRequest<StatusFilter, StatusList> request) {
        request.last().onSuccess(f -> {
            try {
                StatusList.Builder list = StatusList.newBuilder().setVersion(hub.version());
                hub.snapshot(filter(f), f.getSinceVersion()).forEach(e -> list.addItems(toProto(e)));
                request.response().end(list.build());
            } catch (IllegalArgumentException bad) {
                request.response().status(GrpcStatus.INVALID_ARGUMENT).statusMessage(bad.getMessage()).end();
            }
        });
    }

    private void watch(GrpcServerRequest<StatusFilter, StatusEvent> request) {
        Context context = Vertx.currentContext();
        request.last().onSuccess(f -> {
            StatusHub.Filter filter;
            try {
                filter = filter(f);
            } catch (IllegalArgumentException bad) {
                request.response().status(GrpcStatus.INVALID_ARGUMENT).statusMessage(bad.getMessage()).end();
                return;
            }
            var response = response(request);
            StatusWatch watch = new StatusWatch(context, filter,
                    e -> response.write(StatusEvent.newBuilder().setType(StatusEvent.Type.UPSERT).setObject(toProto(e))
                            .setVersion(e.version()).build()),
                    () -> !response.writeQueueFull(),
                    () -> response.write(StatusEvent.newBuilder().setType(StatusEvent.Type.SNAPSHOT_END)
                            .setVersion(hub.version()).build()));
            response.drainHandler(v -> watch.drain());
            // A cancelled or broken stream ends the watch (the connection may carry other streams).
            response.exceptionHandler(e -> watch.close());
            request.exceptionHandler(e -> watch.close());
            request.endHandler(v -> { });
            watch.start(hub, f.getSinceVersion());
        });
    }

    private static io.vertx.grpc.server.GrpcServerResponse<StatusFilter, StatusEvent> response(
            GrpcServerRequest<StatusFilter, StatusEvent> request) {
        return request.response();
    }
}

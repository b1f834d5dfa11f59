package io.flotilla.agent.work;

import io.flotilla.agent.readiness.NonReadyStatus;
import io.flotilla.agent.status.BdStatusReport;
import io.flotilla.proto.v1.Condition;
import io.flotilla.proto.v1.DeploymentStatus;
import io.flotilla.proto.v1.ModifiedStatus;
import io.flotilla.proto.v1.ResourceCounts;
import io.flotilla.proto.v1.ResourceRef;

/** A BD status report in its wire form. */
final class StatusMessages {
    private StatusMessages() {
    }

    static DeploymentStatus toProto(BdStatusReport r) {
        DeploymentStatus.Builder b = DeploymentStatus.newBuilder()
                .setName(r.bdName())
                .setAppliedDeploymentId(r.appliedDeploymentId() == null ? "" : r.appliedDeploymentId())
                .setReady(r.ready())
                .setNonModified(r.nonModified())
                .setIncompleteState(r.incompleteState())
                .setErrApplied(r.errApplied())
                .setMessage(r.message());
        for (NonReadyStatus n : r.nonReadyStatus()) {
            b.addNonReady(io.flotilla.proto.v1.NonReadyStatus.newBuilder()
                    .setUid(n.uid())
                    .setKind(n.ref().kind())
                    .setApiVersion(n.ref().apiVersion())
                    .setNamespace(n.ref().namespace() == null ? "" : n.ref().namespace())
                    .setName(n.ref().name())
                    .setState(n.summary().state())
                    .setError(n.summary().error())
                    .setTransitioning(n.summary().transitioning())
                    .addAllMessage(n.summary().messages()));
        }
        r.modifiedStatus().forEach(m -> b.addModified(ModifiedStatus.newBuilder()
                .setKind(m.kind()).setApiVersion(m.apiVersion())
                .setNamespace(m.namespace() == null ? "" : m.namespace()).setName(m.name())
                .setMissing(m.missing()).setExist(m.exist()).setDelete(m.delete())
                .setPatch(m.patch() == null ? "" : m.patch())));
        r.resources().forEach(res -> b.addResources(ResourceRef.newBuilder().setKind(res.kind())
                .setApiVersion(res.apiVersion()).setNamespace(res.namespace() == null ? "" : res.namespace())
                .setName(res.name())));
        var c = r.resourceCounts();
        b.setResourceCounts(ResourceCounts.newBuilder().setReady(c.ready()).setDesiredReady(c.desiredReady())
                .setWaitApplied(c.waitApplied()).setModified(c.modified()).setOrphaned(c.orphaned())
                .setMissing(c.missing()).setUnknown(c.unknown()).setNotReady(c.notReady()));
        r.conditions().forEach(cond -> b.addConditions(Condition.newBuilder().setType(cond.type())
                .setStatus(cond.status()).setReason(cond.reason() == null ? "" : cond.reason())
                .setMessage(cond.message() == null ? "" : cond.message())));
        return b.build();
    }

    static DeploymentStatus deleted(String bdName) {
        return DeploymentStatus.newBuilder().setName(bdName).setDeleted(true).build();
    }
}

package io.flotilla.agent.readiness;

import io.flotilla.agent.model.Maps;
import java.util.List;
import java.util.Map;

/**
 * kstatus-style status of well-known kinds (sigs.k8s.io/cli-utils): replica and generation checks for
 * workloads, Job completion, PVC binding, Pod readiness, CRD establishment, and the generic
 * {@code observedGeneration}/{@code Reconciling}/{@code Stalled} rules for everything else.
 */
final class KindStatus {
    enum Status { CURRENT, IN_PROGRESS, FAILED, TERMINATING }

    record Result(Status status, String message) {
        static Result current() {
            return new Result(Status.CURRENT, "");
        }

        static Result inProgress(String message) {
            return new Result(Status.IN_PROGRESS, message);
        }

        static Result failed(String message) {
            return new Result(Status.FAILED, message);
        }
    }

    private KindStatus() {
    }

    static Result of(Map<String, Object> live, List<Map<String, Object>> conditions) {
        String kind = Maps.string(live, "kind");
        if (!Maps.string(live, "metadata", "deletionTimestamp").isEmpty()) {
            return new Result(Status.TERMINATING, "Resource scheduled for deletion");
        }
        long generation = Maps.number(live, -1, "metadata", "generation");
        long observed = Maps.number(live, -1, "status", "observedGeneration");
        if (generation >= 0 && observed >= 0 && generation != observed) {
            return Result.inProgress(kind + " generation is " + generation + ", but latest observed generation is "
                    + observed);
        }
        Result generic = generic(conditions);
        if (generic.status() != Status.CURRENT) {
            return generic;
        }
        return switch (kind) {
            case "Deployment" -> deployment(live, conditions);
            case "StatefulSet" -> statefulSet(live);
            case "DaemonSet" -> daemonSet(live);
            case "ReplicaSet" -> replicaSet(live);
            case "Job" -> job(live, conditions);
            case "PersistentVolumeClaim" -> pvc(live);
            case "Pod" -> pod(live, conditions);
            case "CustomResourceDefinition" -> crd(conditions);
            default -> Result.current();
        };
    }

    private static Result generic(List<Map<String, Object>> conditions) {
        Map<String, Object> stalled = condition(conditions, "Stalled");
        if ("True".equals(Maps.string(stalled, "status"))) {
            return Result.failed(Maps.string(stalled, "message"));
        }
        Map<String, Object> reconciling = condition(conditions, "Reconciling");
        if ("True".equals(Maps.string(reconciling, "status"))) {
            return Result.inProgress(Maps.string(reconciling, "message"));
        }
        return Result.current();
    }

    private static Result deployment(Map<String, Object> live, List<Map<String, Object>> conditions) {
        Map<String, Object> progressing = condition(conditions, "Progressing");
        if ("ProgressDeadlineExceeded".equals(Maps.string(progressing, "reason"))) {
            return Result.failed("Progress deadline exceeded");
        }
        long spec = Maps.number(live, 1, "spec", "replicas");
        long replicas = Maps.number(live, 0, "status", "replicas");
        long updated = Maps.number(live, 0, "status", "updatedReplicas");
        long ready = Maps.number(live, 0, "status", "readyReplicas");
        long available = Maps.number(live, 0, "status", "availableReplicas");
        if (spec > replicas) {
            return Result.inProgress("Replicas: " + replicas + "/" + spec);
        }
        if (spec > updated) {
            return Result.inProgress("Updated: " + updated + "/" + spec);
        }
        if (replicas > spec) {
            return Result.inProgress("Pending termination: " + (replicas - spec));
        }
        if (updated > available) {
            return Result.inProgress("Available: " + available + "/" + updated);
        }
        if (spec > ready) {
            return Result.inProgress("Ready: " + ready + "/" + spec);
        }
        if ("False".equals(Maps.string(condition(conditions, "Available"), "status"))) {
            return Result.inProgress("Deployment not Available");
        }
        return Result.current();
    }

    private static Result statefulSet(Map<String, Object> live) {
        if ("OnDelete".equals(Maps.string(live, "spec", "updateStrategy", "type"))) {
            return Result.current();
        }
        long spec = Maps.number(live, 1, "spec", "replicas");
        long replicas = Maps.number(live, 0, "status", "replicas");
        long ready = Maps.number(live, 0, "status", "readyReplicas");
        long updated = Maps.number(live, 0, "status", "updatedReplicas");
        long partition = Maps.number(live, -1, "spec", "updateStrategy", "rollingUpdate", "partition");
        if (spec > replicas) {
            return Result.inProgress("Replicas: " + replicas + "/" + spec);
        }
        if (spec > ready) {
            return Result.inProgress("Ready: " + ready + "/" + spec);
        }
        if (partition > 0) {
            long expected = Math.max(0, spec - partition);
            return updated < expected ? Result.inProgress("updated: " + updated + "/" + expected) : Result.current();
        }
        String currentRevision = Maps.string(live, "status", "currentRevision");
        String updateRevision = Maps.string(live, "status", "updateRevision");
        if (!currentRevision.equals(updateRevision)) {
            return Result.inProgress("Waiting for updated revision " + updateRevision + " to match current "
                    + currentRevision);
        }
        return Result.current();
    }

    private static Result daemonSet(Map<String, Object> live) {
        if (Maps.get(live, "status", "desiredNumberScheduled") == null) {
            return Result.inProgress("Missing .status.desiredNumberScheduled");
        }
        long desired = Maps.number(live, 0, "status", "desiredNumberScheduled");
        long current = Maps.number(live, 0, "status", "currentNumberScheduled");
        long updated = Maps.number(live, 0, "status", "updatedNumberScheduled");
        long available = Maps.number(live, 0, "status", "numberAvailable");
        long ready = Maps.number(live, 0, "status", "numberReady");
        if (desired > current) {
            return Result.inProgress("Current: " + current + "/" + desired);
        }
        if (desired > updated) {
            return Result.inProgress("Updated: " + updated + "/" + desired);
        }
        if (desired > available) {
            return Result.inProgress("Available: " + available + "/" + desired);
        }
        if (desired > ready) {
            return Result.inProgress("Ready: " + ready + "/" + desired);
        }
        return Result.current();
    }

    private static Result replicaSet(Map<String, Object> live) {
        long spec = Maps.number(live, 1, "spec", "replicas");
        long ready = Maps.number(live, 0, "status", "readyReplicas");
        long available = Maps.number(live, 0, "status", "availableReplicas");
        if (spec > ready) {
            return Result.inProgress("Ready: " + ready + "/" + spec);
        }
        if (spec > available) {
            return Result.inProgress("Available: " + available + "/" + spec);
        }
        return Result.current();
    }

    private static Result job(Map<String, Object> live, List<Map<String, Object>> conditions) {
        long succeeded = Maps.number(live, 0, "status", "succeeded");
        long failed = Maps.number(live, 0, "status", "failed");
        long active = Maps.number(live, 0, "status", "active");
        if ("True".equals(Maps.string(condition(conditions, "Complete"), "status"))) {
            return Result.current();
        }
        if ("True".equals(Maps.string(condition(conditions, "Failed"), "status"))) {
            return Result.failed("Job Failed. failed: " + failed);
        }
        if (Maps.get(live, "status", "startTime") == null) {
            return Result.inProgress("Job not started");
        }
        return Result.inProgress("Job in progress. success:" + succeeded + ", active: " + active + ", failed: " + failed);
    }

    private static Result pvc(Map<String, Object> live) {
        String phase = Maps.string(live, "status", "phase");
        return "Bound".equals(phase) ? Result.current()
                : Result.inProgress("PVC is not Bound. phase: " + (phase.isEmpty() ? "unknown" : phase));
    }

    private static Result pod(Map<String, Object> live, List<Map<String, Object>> conditions) {
        String phase = Maps.string(live, "status", "phase");
        if ("Succeeded".equals(phase)) {
            return Result.current();
        }
        if ("Failed".equals(phase)) {
            return Result.failed("Pod has completed, but not successfully");
        }
        for (Object cs : Maps.list(live, "status", "containerStatuses")) {
            if (cs instanceof Map<?, ?> m && "CrashLoopBackOff".equals(
                    Maps.string(Maps.map(castMap(m), "state", "waiting"), "reason"))) {
                return Result.failed("Pod is in CrashLoopBackOff");
            }
        }
        if ("True".equals(Maps.string(condition(conditions, "Ready"), "status"))) {
            return Result.current();
        }
        return Result.inProgress(phase.isEmpty() ? "Pod phase not available" : "Pod is not Ready");
    }

    private static Result crd(List<Map<String, Object>> conditions) {
        Map<String, Object> namesAccepted = condition(conditions, "NamesAccepted");
        if ("False".equals(Maps.string(namesAccepted, "status"))) {
            return Result.failed(Maps.string(namesAccepted, "message"));
        }
        if ("True".equals(Maps.string(condition(conditions, "Established"), "status"))) {
            return Result.current();
        }
        return Result.inProgress("CRD is not established");
    }

    private static Map<String, Object> condition(List<Map<String, Object>> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(Maps.string(c, "type"))).findFirst().orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}

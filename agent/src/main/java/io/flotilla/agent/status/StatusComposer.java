package io.flotilla.agent.status;

import io.flotilla.agent.drift.ModifiedEntry;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.readiness.NonReadyStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Puts one BundleDeployment's status together from the apply result and the monitor's findings (§6.11, §7.1). */
public final class StatusComposer {
    public static final int MAX_ENTRIES = 10;

    private StatusComposer() {
    }

    /**
     * @param appliedDeploymentId the deploymentID whose objects are in the cluster
     * @param failure             the last apply's failure, or null
     * @param desired             the BD's objects (the plan)
     * @param createdAt           creation timestamps of the desired objects that exist
     * @param nonReady            every non-ready desired object, sorted
     * @param modified            every drift entry, sorted
     */
    public static BdStatusReport compose(String bdName, String appliedDeploymentId, ApplyFailure failure,
                                         List<ObjectRef> desired, Map<ObjectRef, String> createdAt,
                                         List<NonReadyStatus> nonReady, List<ModifiedEntry> modified) {
        if (failure != null && failure.kind() == ApplyFailure.Kind.NOT_INSTALLED) {
            // Helm's known failures (§7.1): nothing is monitored; the BD is NotReady with the error.
            return new BdStatusReport(bdName, appliedDeploymentId, false, true, List.of(), List.of(), false,
                    List.of(), ResourceCounts.none(), List.of(Condition.ok("Deployed"),
                    Condition.failed("Installed", "not installed: " + failure.message()), Condition.ok("Monitored"),
                    Condition.failed("Ready", "not ready: " + failure.message())), false, failure.message());
        }
        boolean ready = nonReady.isEmpty();
        boolean nonModified = modified.isEmpty();
        boolean incomplete = nonReady.size() > MAX_ENTRIES || modified.size() > MAX_ENTRIES;

        String readyMessage = !nonReady.isEmpty() ? nonReady.get(0).toString()
                : !modified.isEmpty() ? modified.get(0).toString() : "";
        List<Condition> conditions = new ArrayList<>();
        conditions.add(failure == null ? Condition.ok("Deployed") : Condition.failed("Deployed", failure.message()));
        conditions.add(Condition.ok("Installed"));
        conditions.add(Condition.ok("Monitored"));
        conditions.add(readyMessage.isEmpty() ? Condition.ok("Ready") : Condition.failed("Ready", readyMessage));

        List<ResourceEntry> resources = desired.stream().map(ref -> ResourceEntry.of(ref, createdAt.get(ref))).toList();
        return new BdStatusReport(bdName, appliedDeploymentId, ready, nonModified,
                nonReady.subList(0, Math.min(MAX_ENTRIES, nonReady.size())),
                modified.subList(0, Math.min(MAX_ENTRIES, modified.size())), incomplete, resources,
                counts(desired, nonReady, modified), conditions, failure != null,
                failure == null ? "" : failure.message());
    }

    /** The API could not be read: {@code Monitored=False} with the error, nothing known about the objects. */
    public static BdStatusReport monitorFailed(String bdName, String appliedDeploymentId, String message) {
        return new BdStatusReport(bdName, appliedDeploymentId, false, true, List.of(), List.of(), false, List.of(),
                ResourceCounts.none(), List.of(Condition.ok("Deployed"), Condition.ok("Installed"),
                Condition.failed("Monitored", message), Condition.failed("Ready", message)), false, message);
    }

    /** §6.11: every desired key counts once, as missing, orphaned, modified, notReady or ready. */
    static ResourceCounts counts(List<ObjectRef> desired, List<NonReadyStatus> nonReady, List<ModifiedEntry> modified) {
        Set<ObjectRef> keys = new LinkedHashSet<>(desired);
        int desiredReady = keys.size();
        for (ModifiedEntry m : modified) {
            if (m.missing() && !keys.contains(m.ref())) {
                desiredReady++;
            }
        }
        int missing = 0;
        int orphaned = 0;
        int changed = 0;
        for (ModifiedEntry m : modified) {
            if (m.missing()) {
                missing++;
            } else if (m.delete()) {
                orphaned++;
            } else {
                changed++;
            }
            keys.remove(m.ref());
        }
        int notReady = 0;
        for (NonReadyStatus n : nonReady) {
            if (keys.remove(n.ref())) {
                notReady++;
            }
        }
        return new ResourceCounts(keys.size(), desiredReady, 0, changed, orphaned, missing, 0, notReady);
    }
}

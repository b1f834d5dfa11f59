package io.flotilla.manager.status;

/** The state of one BundleDeployment and its message (fleet-semantics §6.1, §6.3). */
public record BdState(BundleState state, String message) {

    /** The state of the BD as stored: what GitRepo and Cluster status use. */
    public static BdState of(BdSnapshot bd) {
        BdReport r = bd.report();
        String applied = r == null ? "" : r.appliedDeploymentId();
        boolean appliedCurrent = applied.equals(bd.deploymentId());
        BundleState state;
        if (!appliedCurrent) {
            state = r != null && r.errApplied() ? BundleState.ERR_APPLIED : BundleState.WAIT_APPLIED;
        } else if (r == null || !r.ready()) {
            state = BundleState.NOT_READY;
        } else if (!bd.deploymentId().equals(bd.stagedDeploymentId())) {
            state = BundleState.OUT_OF_SYNC;
        } else if (!r.nonModified()) {
            state = BundleState.MODIFIED;
        } else {
            state = BundleState.READY;
        }
        return new BdState(state, message(r, appliedCurrent));
    }

    /**
     * The state the Bundle shows for this BD's target: computed as if the wanted (staged) deploymentID were already
     * released (§6.1, §9 item 14), so a new ID shows WaitApplied at once and a paused bundle with a staged change
     * shows WaitApplied where the GitRepo shows OutOfSync.
     */
    public static BdState forBundle(BdSnapshot bd) {
        return of(bd.withDeploymentIds(bd.stagedDeploymentId(), bd.stagedDeploymentId()));
    }

    private static String message(BdReport r, boolean appliedCurrent) {
        if (r == null) {
            return "";
        }
        String m = r.deployedMessage();
        if (m.isEmpty() && appliedCurrent) {
            m = r.installedMessage();
        }
        return m.isEmpty() ? r.monitoredMessage() : m;
    }
}

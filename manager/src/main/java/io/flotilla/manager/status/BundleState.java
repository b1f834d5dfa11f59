package io.flotilla.manager.status;

/** The seven BundleDeployment states (fleet-semantics §6.1) with their rank: higher is worse. */
public enum BundleState {
    READY("Ready", 1, "ready"),
    NOT_READY("NotReady", 2, "notReady"),
    PENDING("Pending", 3, "pending"),
    OUT_OF_SYNC("OutOfSync", 4, "outOfSync"),
    MODIFIED("Modified", 5, "modified"),
    WAIT_APPLIED("WaitApplied", 6, "waitApplied"),
    ERR_APPLIED("ErrApplied", 7, "errApplied");

    private final String wireName;
    private final int rank;
    private final String summaryField;

    BundleState(String wireName, int rank, String summaryField) {
        this.wireName = wireName;
        this.rank = rank;
        this.summaryField = summaryField;
    }

    /** The state as it appears in status, e.g. {@code WaitApplied}. */
    public String wireName() {
        return wireName;
    }

    public int rank() {
        return rank;
    }

    /** The BundleSummary counter of this state, e.g. {@code waitApplied}. */
    public String summaryField() {
        return summaryField;
    }

    /** The worse of two states; {@code null} stands for Fleet's empty state (rank 0). */
    public static BundleState worse(BundleState a, BundleState b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.rank > a.rank ? b : a;
    }
}

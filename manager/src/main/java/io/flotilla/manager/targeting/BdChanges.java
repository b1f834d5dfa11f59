package io.flotilla.manager.targeting;

import java.util.ArrayList;
import java.util.List;

/**
 * What one change to the targeting inputs does to the desired BundleDeployment set. {@code deleted} holds the
 * last desired state of each removed BD; {@code errors} the bundles whose targeting failed (their BDs are kept).
 */
public record BdChanges(List<DesiredDeployment> created, List<DesiredDeployment> updated,
        List<DesiredDeployment> deleted, List<TargetingError> errors) {

    public BdChanges {
        created = List.copyOf(created);
        updated = List.copyOf(updated);
        deleted = List.copyOf(deleted);
        errors = List.copyOf(errors);
    }

    public static final BdChanges NONE = new BdChanges(List.of(), List.of(), List.of(), List.of());

    public boolean isEmpty() {
        return created.isEmpty() && updated.isEmpty() && deleted.isEmpty() && errors.isEmpty();
    }

    /** Collects changes while the index works; not thread-safe. */
    static final class Collector {
        private final List<DesiredDeployment> created = new ArrayList<>();
        private final List<DesiredDeployment> updated = new ArrayList<>();
        private final List<DesiredDeployment> deleted = new ArrayList<>();
        private final List<TargetingError> errors = new ArrayList<>();

        void change(DesiredDeployment before, DesiredDeployment after) {
            if (before == null && after != null) {
                created.add(after);
            } else if (before != null && after == null) {
                deleted.add(before);
            } else if (before != null && !before.equals(after)) {
                updated.add(after);
            }
        }

        void error(TargetingError error) {
            errors.add(error);
        }

        BdChanges build() {
            return new BdChanges(created, updated, deleted, errors);
        }
    }
}

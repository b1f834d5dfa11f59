package io.flotilla.manager.status;

import java.util.LinkedHashMap;
import java.util.Map;

/** A BundleDeployment's resource counters (fleet-semantics §1.8, §6.11); sums are field-wise. */
public record ResourceCounts(int ready, int desiredReady, int waitApplied, int modified, int orphaned,
                             int missing, int unknown, int notReady) {
    public static final ResourceCounts ZERO = new ResourceCounts(0, 0, 0, 0, 0, 0, 0, 0);

    public ResourceCounts plus(ResourceCounts o) {
        return new ResourceCounts(ready + o.ready, desiredReady + o.desiredReady, waitApplied + o.waitApplied,
                modified + o.modified, orphaned + o.orphaned, missing + o.missing, unknown + o.unknown,
                notReady + o.notReady);
    }

    public ResourceCounts minus(ResourceCounts o) {
        return new ResourceCounts(ready - o.ready, desiredReady - o.desiredReady, waitApplied - o.waitApplied,
                modified - o.modified, orphaned - o.orphaned, missing - o.missing, unknown - o.unknown,
                notReady - o.notReady);
    }

    /** Fleet's JSON form: every counter is always serialised. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", ready);
        m.put("desiredReady", desiredReady);
        m.put("waitApplied", waitApplied);
        m.put("modified", modified);
        m.put("orphaned", orphaned);
        m.put("missing", missing);
        m.put("unknown", unknown);
        m.put("notReady", notReady);
        return m;
    }
}

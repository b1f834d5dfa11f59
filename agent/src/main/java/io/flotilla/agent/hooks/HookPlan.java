package io.flotilla.agent.hooks;

import io.flotilla.agent.model.ObjectRef;
import java.util.List;
import java.util.Map;

/**
 * A rendered bundle split the way Helm splits a release: the ordinary objects (applied and owned as the release),
 * the hooks of the phase before and after them for this action, the delete hooks kept for uninstall, and the
 * objects that are neither (test and rollback hooks, hooks with an unknown event), which are never applied.
 */
public record HookPlan(List<Map<String, Object>> objects, HookPhase pre, HookPhase post, HookPhase preDelete,
                       HookPhase postDelete, List<ObjectRef> skipped) {

    public HookPlan {
        objects = List.copyOf(objects);
        skipped = List.copyOf(skipped);
    }

    /** True when there is nothing to run before or after the objects. */
    public boolean noInstallHooks() {
        return pre.isEmpty() && post.isEmpty();
    }
}

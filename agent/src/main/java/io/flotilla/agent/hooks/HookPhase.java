package io.flotilla.agent.hooks;

import java.util.List;

/** The hooks of one event, in the order Helm runs them. */
public record HookPhase(HookEvent event, List<Hook> hooks) {

    public HookPhase {
        hooks = List.copyOf(hooks);
    }

    public static HookPhase none(HookEvent event) {
        return new HookPhase(event, List.of());
    }

    public boolean isEmpty() {
        return hooks.isEmpty();
    }
}

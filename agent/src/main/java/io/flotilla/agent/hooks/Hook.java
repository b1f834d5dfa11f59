package io.flotilla.agent.hooks;

import io.flotilla.agent.model.ObjectRef;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rendered object annotated with {@code helm.sh/hook}: the events it runs at, its weight and its delete
 * policies (never empty: {@code before-hook-creation} when the chart gives none).
 */
public record Hook(ObjectRef ref, Map<String, Object> object, List<HookEvent> events, int weight,
                   Set<DeletePolicy> deletePolicies) {

    public Hook {
        events = List.copyOf(events);
        deletePolicies = Set.copyOf(deletePolicies);
    }

    public boolean runsAt(HookEvent event) {
        return events.contains(event);
    }

    public boolean deletes(DeletePolicy policy) {
        return deletePolicies.contains(policy);
    }

    @Override
    public String toString() {
        return ref.id();
    }
}

package io.flotilla.agent.drift;

import io.flotilla.agent.model.Json;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares what a BundleDeployment wants with what the cluster holds (fleet-semantics §7.5). Desired objects
 * are compared in the form the agent applies them ({@link Ownership#prepare}), through the same three-way
 * merge the agent applies with, so "drifted" means exactly "applying again would write".
 */
public final class DriftDetector {
    private DriftDetector() {
    }

    /**
     * @param bdName          the BundleDeployment
     * @param desired         the objects the BD wants, as rendered
     * @param live            live objects by reference; absent means not found
     * @param previouslyOwned objects the agent applied for this BD before
     * @param comparePatches  exclusions from {@code diff.comparePatches}
     * @return entries sorted by {@code apiVersion/kind/namespace/name}
     */
    public static List<ModifiedEntry> detect(String bdName, List<Map<String, Object>> desired,
                                             Map<ObjectRef, Map<String, Object>> live,
                                             Collection<ObjectRef> previouslyOwned, ComparePatches comparePatches) {
        List<ModifiedEntry> entries = new ArrayList<>();
        Set<ObjectRef> wanted = new HashSet<>();
        for (Map<String, Object> object : desired) {
            ObjectRef ref = ObjectRef.of(object);
            wanted.add(ref);
            if (comparePatches.ignores(ref)) {
                continue;
            }
            Map<String, Object> current = live.get(ref);
            if (current == null) {
                entries.add(ModifiedEntry.missing(ref));
            } else if (!Ownership.isOwnedBy(current, bdName)) {
                entries.add(ModifiedEntry.notOwned(ref));
            } else {
                Map<String, Object> patch = patch(ref, Ownership.prepare(object, bdName), current, comparePatches);
                if (!patch.isEmpty()) {
                    entries.add(ModifiedEntry.modified(ref, Json.write(patch)));
                }
            }
        }
        for (ObjectRef ref : previouslyOwned) {
            Map<String, Object> current = live.get(ref);
            if (!wanted.contains(ref) && current != null && Ownership.isOwnedBy(current, bdName)) {
                entries.add(ModifiedEntry.extra(ref));
            }
        }
        entries.sort(Comparator.comparing(ModifiedEntry::ref));
        return entries;
    }

    /**
     * The merge patch from {@code live} to {@code prepared} with the comparePatches paths left out of all three
     * inputs (the last-applied configuration is read from the live object's annotation).
     */
    public static Map<String, Object> patch(ObjectRef ref, Map<String, Object> prepared, Map<String, Object> live,
                                            ComparePatches comparePatches) {
        return ThreeWayMerge.patch(comparePatches.strip(ref, Ownership.lastApplied(live)),
                comparePatches.strip(ref, prepared), comparePatches.strip(ref, live));
    }
}

package io.flotilla.agent.drift;

import io.flotilla.agent.model.Json;
import io.flotilla.agent.model.Maps;
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
 * Compares what a BundleDeployment wants with what the cluster holds (fleet-semantics §7.5). "Modified" means
 * exactly "applying again would write": the live object is compared with what a server-side apply of the desired
 * configuration would make of it ({@link ApplyPreview}), so only fields the agent's own field manager sets can
 * drift; fields other managers added (a sidecar, a label, an HPA's replicas) never do.
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
     * @param preview         what applying would make of a live object
     * @return entries sorted by {@code apiVersion/kind/namespace/name}
     */
    public static List<ModifiedEntry> detect(String bdName, List<Map<String, Object>> desired,
                                             Map<ObjectRef, Map<String, Object>> live,
                                             Collection<ObjectRef> previouslyOwned, ComparePatches comparePatches,
                                             ApplyPreview preview) {
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
                Map<String, Object> after = preview.afterApply(ref, Ownership.prepare(object, bdName), current);
                Map<String, Object> patch = patch(ref, after, current, comparePatches);
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
     * The JSON merge patch from {@code live} to {@code afterApply}, leaving out the comparePatches paths and what
     * the server changes on every write (resourceVersion, generation, managedFields); empty when they agree.
     */
    public static Map<String, Object> patch(ObjectRef ref, Map<String, Object> afterApply, Map<String, Object> live,
                                            ComparePatches comparePatches) {
        if (afterApply == live) {
            return Map.of();
        }
        Map<String, Object> before = comparePatches.strip(ref, withoutServerBookkeeping(live));
        Map<String, Object> after = comparePatches.strip(ref, withoutServerBookkeeping(afterApply));
        // live as "last applied": every key it has that the result lacks is a deletion (a two-way merge patch)
        return ThreeWayMerge.patch(before, after, before);
    }

    private static Map<String, Object> withoutServerBookkeeping(Map<String, Object> object) {
        Map<String, Object> copy = Maps.deepCopy(object);
        Map<String, Object> metadata = Maps.map(copy, "metadata");
        if (!metadata.isEmpty()) {
            Map<String, Object> m = Maps.child(copy, "metadata");
            m.remove("resourceVersion");
            m.remove("generation");
            m.remove("managedFields");
        }
        return copy;
    }
}

package io.flotilla.agent.model;

import java.util.Map;

/**
 * How the agent marks the objects it applies: a label naming the BundleDeployment (informers select on it),
 * and an annotation naming the owner. (Earlier versions applied client-side with a last-applied annotation; objects
 * carrying it are taken over by server-side apply.)
 */
public final class Ownership {
    public static final String BD_LABEL = "flotilla.io/bundledeployment";
    public static final String OWNED_BY_ANNOTATION = "flotilla.io/owned-by";
    public static final String LAST_APPLIED_ANNOTATION = "flotilla.io/last-applied";

    private Ownership() {
    }

    /**
     * The object as the agent sends it: a deep copy without {@code status}, with the ownership label and
     * annotation; never the last-applied annotation of earlier versions.
     */
    public static Map<String, Object> prepare(Map<String, Object> desired, String bdName) {
        Map<String, Object> prepared = Maps.deepCopy(desired);
        prepared.remove("status");
        Map<String, Object> metadata = Maps.child(prepared, "metadata");
        Maps.child(metadata, "labels").put(BD_LABEL, labelValue(bdName));
        Map<String, Object> annotations = Maps.child(metadata, "annotations");
        annotations.remove(LAST_APPLIED_ANNOTATION);
        annotations.put(OWNED_BY_ANNOTATION, bdName);
        return prepared;
    }

    /** True when the live object carries this BundleDeployment's label. */
    public static boolean isOwnedBy(Map<String, Object> live, String bdName) {
        return labelValue(bdName).equals(Maps.string(live, "metadata", "labels", BD_LABEL));
    }

    /**
     * The label value for a BD name: names longer than a label value allows (63) are cut and suffixed with a
     * hash so they stay unique.
     */
    public static String labelValue(String bdName) {
        return Names.fit(bdName, 63);
    }
}

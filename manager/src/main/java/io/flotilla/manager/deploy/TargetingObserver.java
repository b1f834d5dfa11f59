package io.flotilla.manager.deploy;

import io.flotilla.manager.api.ObjectKey;

import java.util.Set;

/** Told what targeting decided per bundle, for status (a target without a BD yet is Pending; errors show). */
public interface TargetingObserver {
    void bundleTargets(String namespace, String bundle, Set<ObjectKey> clusters);

    /** {@code error} is null once the bundle can be targeted again. */
    void bundleError(String namespace, String bundle, String gitRepo, String error);

    /** The bundle's rollout figures (Fleet's status field names), or null when it has none. */
    default void bundleRollout(String namespace, String bundle, java.util.Map<String, Object> figures) {
    }
}

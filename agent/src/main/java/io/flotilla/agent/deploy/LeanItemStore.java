package io.flotilla.agent.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The informer cache of the objects the agent owns, without their {@code metadata.managedFields}: the API
 * server's field bookkeeping is a nested map per manager and per field, about as large as the rest of a small
 * object, and nothing read from the cache uses it (drift detection ignores it; readiness never reads it). Code
 * that needs the managed fields reads the object from the API.
 */
final class LeanItemStore extends BasicItemStore<GenericKubernetesResource> {
    LeanItemStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
        if (obj.getMetadata() != null) {
            obj.getMetadata().setManagedFields(null);
        }
        return super.put(key, obj);
    }
}

package io.flotilla.manager.store.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.flotilla.manager.api.Kind;

import java.util.EnumMap;
import java.util.Map;

/** How each {@link Kind} is addressed in the Kubernetes API (no discovery round trip needed). */
final class KubeKinds {
    /** Cluster-scoped, one per bundle content id. */
    static final ResourceDefinitionContext CONTENT = new ResourceDefinitionContext.Builder()
            .withGroup(Kind.GROUP).withVersion(Kind.VERSION).withKind("Content").withPlural("contents")
            .withNamespaced(false).build();

    private static final Map<Kind, ResourceDefinitionContext> CONTEXTS = new EnumMap<>(Kind.class);

    static {
        for (Kind kind : Kind.values()) {
            boolean core = kind == Kind.SECRET;
            CONTEXTS.put(kind, new ResourceDefinitionContext.Builder()
                    .withGroup(core ? "" : Kind.GROUP).withVersion(core ? "v1" : Kind.VERSION)
                    .withKind(kind.kindName()).withPlural(kind.plural()).withNamespaced(true).build());
        }
    }

    private KubeKinds() {
    }

    static ResourceDefinitionContext context(Kind kind) {
        return CONTEXTS.get(kind);
    }

    /** Whether writes of {@code status} go through the {@code /status} subresource. */
    static boolean hasStatus(Kind kind) {
        return kind != Kind.SECRET;
    }
}

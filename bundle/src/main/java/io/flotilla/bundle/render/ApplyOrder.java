package io.flotilla.bundle.render;

import java.util.Comparator;
import java.util.List;

/** Apply order: Namespaces, CustomResourceDefinitions, other cluster-scoped objects, namespaced objects. */
final class ApplyOrder {

    private ApplyOrder() {
    }

    /** {@code objects} sorted by group; the sort is stable, so render order holds within a group. */
    static List<ManifestObject> sort(List<ManifestObject> objects, RenderContext ctx) {
        return objects.stream().sorted(Comparator.comparingInt(o -> rank(o.kind(), ctx))).toList();
    }

    private static int rank(String kind, RenderContext ctx) {
        if (kind.equals("Namespace")) {
            return 0;
        }
        if (kind.equals("CustomResourceDefinition")) {
            return 1;
        }
        return ctx.isClusterScoped(kind) ? 2 : 3;
    }
}

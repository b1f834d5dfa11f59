package io.flotilla.bundle.render;

import io.flotilla.bundle.options.Copies;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of one bundle for one set of options, as immutable plain maps, in apply order
 * (Namespaces, CustomResourceDefinitions, other cluster-scoped objects, namespaced objects; render order kept
 * within each group).
 *
 * @param objects the objects
 * @param style how they were produced: {@code raw}, {@code helm}, {@code kustomize} or {@code helm+kustomize}
 */
public record RenderedBundle(List<Map<String, Object>> objects, String style) {

    public static final String RAW = "raw";
    public static final String HELM = "helm";
    public static final String KUSTOMIZE = "kustomize";
    public static final String HELM_KUSTOMIZE = "helm+kustomize";

    public RenderedBundle {
        objects = objects.stream().map(Copies::deepMap).toList();
    }
}

package io.flotilla.bundle.render;

import java.nio.file.Path;

/** Runs {@code kustomize build} on a directory of materialised bundle files. */
public interface KustomizeRunner {

    /**
     * Builds the kustomization in {@code dir}.
     *
     * @return the rendered multi-document YAML
     * @throws RenderException when no kustomize is available, or the build fails (with kustomize's stderr)
     */
    String build(Path dir) throws RenderException;
}

package io.flotilla.bundle.render;

import com.marcnuri.helm.Helm;
import java.nio.file.Path;

/**
 * {@code helm template} through helm-java (Helm's Go library in-process); renders, never installs. Calls go through
 * {@link HelmSignals}, which keeps SIGTERM, SIGINT and SIGQUIT with the JVM.
 */
final class HelmTemplater {

    private HelmTemplater() {
    }

    /**
     * Renders the chart in {@code chartDir}.
     *
     * @param valuesFile a values file, or {@code null}
     * @param origin bundle path of the chart, named in errors
     * @return Helm's multi-document output, with {@code # Source:} comments
     */
    static String template(Path chartDir, String releaseName, String namespace, Path valuesFile, String origin)
            throws RenderException {
        var command = new Helm(chartDir).template().withName(releaseName).withNamespace(namespace);
        if (valuesFile != null) {
            command.withValuesFile(valuesFile);
        }
        try {
            return HelmSignals.call(command::call);
        } catch (RuntimeException e) {
            throw RenderException.inFile(origin, null, "helm template failed: " + e.getMessage(), e);
        } catch (Exception e) {
            throw RenderException.inFile(origin, null, "helm template failed: " + e, e);
        }
    }
}

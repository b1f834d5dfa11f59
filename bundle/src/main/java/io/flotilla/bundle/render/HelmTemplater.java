package io.flotilla.bundle.render;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code helm template} through helm-java (Helm's Go library in-process); renders, never installs. Unlike
 * helm-java's own {@code template}, the output includes the chart's hooks, as {@code helm template} does
 * ({@link HookStandIns}). Calls go through {@link HelmSignals}, which keeps SIGTERM, SIGINT and SIGQUIT with the JVM.
 */
final class HelmTemplater {

    private HelmTemplater() {
    }

    /**
     * Renders the chart in {@code chartDir}.
     *
     * @param valuesFile a values file, or {@code null}
     * @param origin bundle path of the chart, named in errors
     * @param workDir scratch directory for a copy of the chart when it has hooks
     * @return Helm's multi-document output, with {@code # Source:} comments
     */
    static String template(Path chartDir, String releaseName, String namespace, Path valuesFile, String origin,
                           Path workDir) throws RenderException {
        Path chart;
        Path values;
        try {
            // helm-java returns the release manifest only: hooks are rendered under a stand-in key.
            chart = HookStandIns.chart(chartDir, workDir);
            values = HookStandIns.values(valuesFile, workDir);
        } catch (IOException e) {
            throw RenderException.inFile(origin, null, "cannot prepare the chart's hooks for rendering: "
                    + e.getMessage(), e);
        }
        var command = new Helm(chart).template().withName(releaseName).withNamespace(namespace);
        if (values != null) {
            command.withValuesFile(values);
        }
        try {
            return HookStandIns.restore(HelmSignals.call(command::call));
        } catch (RuntimeException e) {
            throw RenderException.inFile(origin, null, "helm template failed: "
                    + HookStandIns.restore(e.getMessage()), e);
        } catch (Exception e) {
            throw RenderException.inFile(origin, null, "helm template failed: " + HookStandIns.restore(e.toString()), e);
        }
    }
}

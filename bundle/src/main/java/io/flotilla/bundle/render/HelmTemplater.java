package io.flotilla.bundle.render;

import com.marcnuri.helm.Helm;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/** {@code helm template} through helm-java (Helm's Go library in-process); renders, never installs. */
final class HelmTemplater {
    private static final AtomicBoolean SIGNALS_RESTORED = new AtomicBoolean();

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
            return command.call();
        } catch (RuntimeException e) {
            throw RenderException.inFile(origin, null, "helm template failed: " + e.getMessage(), e);
        } finally {
            restoreJvmSignals();
        }
    }

    /**
     * Loading Helm's Go library hands SIGTERM and SIGINT to the Go runtime (a package in it asks for them), so
     * the JVM no longer sees them: {@code kill} left the process running and only SIGKILL ended it, without
     * shutdown hooks. Once the library is loaded, both are given back to the JVM, which exits as it does on them
     * (128 + signal number, shutdown hooks run).
     */
    static void restoreJvmSignals() {
        if (!SIGNALS_RESTORED.compareAndSet(false, true)) {
            return;
        }
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> System.exit(128 + signal.getNumber()));
            } catch (IllegalArgumentException reserved) {
                // the JVM reserves it (-Xrs): nothing to give back
            }
        }
    }
}

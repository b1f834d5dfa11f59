package io.flotilla.bundle.render;

import java.nio.file.Path;

/** Fetches a Helm chart that is not part of the bundle (a chart repository or a chart URL). */
public interface ChartSource {

    /**
     * A chart outside the bundle, as fleet.yaml names it.
     *
     * @param repo chart repository URL ({@code helm.repo}), or {@code ""} when {@code chart} is itself a URL
     * @param chart chart name in the repository, or the URL of a chart archive ({@code helm.chart})
     * @param version chart version ({@code helm.version}); {@code ""} means the newest
     */
    record ChartReference(String repo, String chart, String version) {

        @Override
        public String toString() {
            return "repo=" + repo + " chart=" + chart + " version=" + version;
        }
    }

    /**
     * Fetches the chart and unpacks it under {@code destination} (an existing empty directory).
     *
     * @return the directory holding the chart's Chart.yaml
     */
    Path fetch(ChartReference chart, Path destination) throws RenderException;
}

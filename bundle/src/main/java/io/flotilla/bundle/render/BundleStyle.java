package io.flotilla.bundle.render;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

/**
 * How a bundle renders (fleet-semantics §7.2 style detection).
 *
 * <ul>
 *   <li>Helm when a {@code Chart.yaml} is at the chart path ({@code helm.chart}, else {@code helm.repo}, else the
 *   root) or in the chart the manager downloaded under {@code .chart/<sha256(chart:repo:version)>/}. Beyond Fleet,
 *   a chart that is not in the bundle is fetched at render time when {@code helm.repo} is set or
 *   {@code helm.chart} is a URL, and a {@code helm.chart} naming a {@code .tgz} in the bundle is unpacked.</li>
 *   <li>Kustomize when {@code kustomization.yaml} is in {@code kustomize.dir} (default the root); both may apply.</li>
 *   <li>Otherwise raw YAML.</li>
 * </ul>
 *
 * @param chartDir bundle directory holding the chart's Chart.yaml ({@code ""} = root), or {@code null}
 * @param chartArchive bundle path of a chart archive, or {@code null}
 * @param remoteChart a chart to fetch, or {@code null}
 * @param kustomizeDir bundle directory holding kustomization.yaml ({@code ""} = root), or {@code null}
 */
record BundleStyle(String chartDir, String chartArchive, ChartSource.ChartReference remoteChart, String kustomizeDir) {

    static final String CHART_YAML = "Chart.yaml";
    static final String KUSTOMIZATION_YAML = "kustomization.yaml";

    static BundleStyle detect(BundleFiles files, BundleDeploymentOptions options) {
        HelmOptions helm = options.helm();
        String chartDir = null;
        String chartArchive = null;
        ChartSource.ChartReference remote = null;
        String declared = helm == null ? "" : nonEmpty(helm.chart()) ? helm.chart() : nullToEmpty(helm.repo());
        String local = clean(declared);
        if (files.contains(join(local, CHART_YAML))) {
            chartDir = local;
        } else if (helm != null && downloadedChart(files, helm) != null) {
            chartDir = downloadedChart(files, helm);
        } else if (helm != null && isUrl(helm.chart()) || helm != null && nonEmpty(helm.repo())) {
            remote = new ChartSource.ChartReference(nullToEmpty(helm.repo()), nullToEmpty(helm.chart()),
                    nullToEmpty(helm.version()));
        } else if (helm != null && isArchive(local) && files.contains(local)) {
            chartArchive = local;
        }
        String kustomize = clean(options.kustomize() == null ? "" : nullToEmpty(options.kustomize().dir()));
        String kustomizeDir = files.contains(join(kustomize, KUSTOMIZATION_YAML)) ? kustomize : null;
        return new BundleStyle(chartDir, chartArchive, remote, kustomizeDir);
    }

    boolean isHelm() {
        return chartDir != null || chartArchive != null || remoteChart != null;
    }

    boolean isKustomize() {
        return kustomizeDir != null;
    }

    String name() {
        if (isHelm()) {
            return isKustomize() ? RenderedBundle.HELM_KUSTOMIZE : RenderedBundle.HELM;
        }
        return isKustomize() ? RenderedBundle.KUSTOMIZE : RenderedBundle.RAW;
    }

    /** Fleet's prefix for a chart downloaded at bundle-read time: {@code .chart/<hex sha256(chart:repo:version)>}. */
    static String downloadPrefix(HelmOptions helm) {
        String key = nullToEmpty(helm.chart()) + ":" + nullToEmpty(helm.repo()) + ":" + nullToEmpty(helm.version());
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return ".chart/" + HexFormat.of().formatHex(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The chart directory under the download prefix: the prefix itself or one directory below it. */
    private static String downloadedChart(BundleFiles files, HelmOptions helm) {
        String prefix = downloadPrefix(helm) + "/";
        for (String name : files.asMap().subMap(prefix, prefix + Character.MAX_VALUE).keySet()) {
            String rest = name.substring(prefix.length());
            if (rest.equals(CHART_YAML)) {
                return downloadPrefix(helm);
            }
            String[] parts = rest.split("/");
            if (parts.length == 2 && parts[1].equals(CHART_YAML)) {
                return prefix + parts[0];
            }
        }
        return null;
    }

    static boolean isUrl(String chart) {
        return chart != null && (chart.startsWith("http://") || chart.startsWith("https://")
                || chart.startsWith("oci://"));
    }

    private static boolean isArchive(String path) {
        return path.endsWith(".tgz") || path.endsWith(".tar.gz");
    }

    /** Like Go's {@code filepath.Clean} on a relative path; {@code ""} for the root. */
    static String clean(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        return String.join("/", segments);
    }

    static String join(String dir, String file) {
        return dir.isEmpty() ? file : dir + "/" + file;
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

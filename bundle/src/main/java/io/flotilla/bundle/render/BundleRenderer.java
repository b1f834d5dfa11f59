package io.flotilla.bundle.render;

import io.flotilla.bundle.options.BundleDeploymentOptions;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import io.flotilla.bundle.options.BundleResource;
import io.flotilla.bundle.options.HelmValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a bundle and its merged options into Kubernetes objects (fleet-semantics §7.2): Flotilla renders and
 * applies the objects itself; no Helm release is installed.
 *
 * <ul>
 *   <li>Helm style: {@code helm template} of the chart with the release name ({@code helm.releaseName}, else the
 *   context's), the release namespace ({@code namespace} > {@code defaultNamespace} > {@code default}) and
 *   {@code helm.values} with the {@code helm.valuesFiles} found in the bundle merged on top (files missing from
 *   the bundle were merged into the values when the bundle was read, §2.5).</li>
 *   <li>Kustomize style: {@code kustomize build} of {@code kustomize.dir}; after Helm, Helm's output is added to
 *   the kustomization's resources as {@code fleet-manifests.yaml}, as Fleet does.</li>
 *   <li>Raw style: {@code yaml.overlays} applied, then every {@code *.yaml|*.yml|*.json} except fleet.yaml and
 *   files below a directory holding a nested fleet.yaml or Chart.yaml; files under {@code templates/} are Helm
 *   templates of a chart synthesised for the bundle.</li>
 * </ul>
 * Then namespaces are set ({@link Namespaces}) and objects sorted in apply order ({@link ApplyOrder}).
 */
public final class BundleRenderer {

    private static final Logger LOG = LoggerFactory.getLogger(BundleRenderer.class);
    private static final String MANIFESTS_YAML = "fleet-manifests.yaml";

    private final ChartSource charts;

    public BundleRenderer(ChartSource charts) {
        this.charts = Objects.requireNonNull(charts, "charts");
    }

    /**
     * A renderer that fetches external charts over HTTP(S). The HTTP client (a selector thread and the JDK's
     * HTTP classes) is made on the first external chart: most bundles never need it.
     */
    public static BundleRenderer create() {
        return new BundleRenderer(new ChartSource() {
            private HttpChartSource source;

            @Override
            public Path fetch(ChartReference chart, Path destination) throws RenderException {
                HttpChartSource http;
                synchronized (this) {
                    if (source == null) {
                        source = HttpChartSource.create();
                    }
                    http = source;
                }
                return http.fetch(chart, destination);
            }
        });
    }

    /**
     * Renders one bundle. Blocking (file I/O, Helm, kustomize process, chart downloads): call it off event loops.
     *
     * @param bundleName the bundle (or BD) name, named in errors and used as the synthesised chart's name
     * @param resources the bundle's files, named by path relative to the bundle root
     * @param options the merged options of the deployment; {@code null} means none
     */
    public RenderedBundle render(String bundleName, List<BundleResource> resources, BundleDeploymentOptions options,
                                 RenderContext ctx) throws RenderException {
        Objects.requireNonNull(bundleName, "bundleName");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(ctx, "ctx");
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(ctx.workDir(), "render-");
            BundleDeploymentOptions opts = options == null ? BundleDeploymentOptions.empty() : options;
            return new Run(bundleName, BundleFiles.decode(resources), opts, ctx, scratch).render();
        } catch (RenderException e) {
            throw e.inBundle(bundleName);
        } catch (IOException e) {
            throw new RenderException(bundleName, null, null, "cannot create a work directory under "
                    + ctx.workDir() + ": " + e.getMessage(), e);
        } finally {
            deleteRecursively(scratch);
        }
    }

    /** One render: its inputs and its scratch directory. */
    private final class Run {
        private final String bundleName;
        private final BundleFiles files;
        private final BundleDeploymentOptions options;
        private final RenderContext ctx;
        private final Path scratch;
        private Path materialised;

        Run(String bundleName, BundleFiles files, BundleDeploymentOptions options, RenderContext ctx, Path scratch) {
            this.bundleName = bundleName;
            this.files = files;
            this.options = options;
            this.ctx = ctx;
            this.scratch = scratch;
        }

        RenderedBundle render() throws RenderException {
            BundleStyle style = BundleStyle.detect(files, options);
            List<ManifestObject> objects = new ArrayList<>();
            if (style.isHelm()) {
                Path chartDir = chartDirectory(style);
                String origin = chartOrigin(style);
                // CRDs are not post-rendered, as with helm install
                objects.addAll(ChartCrds.collect(chartDir, chartPrefix(style), directory("chart-crds")));
                String output = HelmTemplater.template(chartDir, releaseName(), namespace(), valuesFile(), origin,
                        scratch);
                objects.addAll(style.isKustomize()
                        ? kustomize(style.kustomizeDir(), output)
                        : ManifestParser.parseRendered(origin, output));
            } else if (style.isKustomize()) {
                objects.addAll(kustomize(style.kustomizeDir(), null));
            } else {
                objects.addAll(raw());
            }
            Namespaces.apply(objects, options.defaultNamespace(), options.namespace(), ctx);
            List<Map<String, Object>> sorted = ApplyOrder.sort(objects, ctx).stream().map(ManifestObject::object).toList();
            return new RenderedBundle(sorted, style.name());
        }

        private Path chartDirectory(BundleStyle style) throws RenderException {
            if (style.chartDir() != null) {
                return style.chartDir().isEmpty() ? bundleDir() : bundleDir().resolve(style.chartDir());
            }
            if (style.chartArchive() != null) {
                try {
                    return TarGz.extractChart(files.bytes(style.chartArchive()), directory("chart-archive"));
                } catch (IOException e) {
                    throw RenderException.inFile(style.chartArchive(), null, "cannot unpack chart archive: "
                            + e.getMessage(), e);
                }
            }
            return charts.fetch(style.remoteChart(), directory("chart-remote"));
        }

        /** The chart as named in errors: its Chart.yaml in the bundle, its archive, or its remote reference. */
        private String chartOrigin(BundleStyle style) {
            if (style.chartDir() != null) {
                return BundleStyle.join(style.chartDir(), BundleStyle.CHART_YAML);
            }
            return style.chartArchive() != null ? style.chartArchive() : style.remoteChart().toString();
        }

        /** What goes before the names of the chart's files in errors. */
        private String chartPrefix(BundleStyle style) {
            if (style.chartDir() != null) {
                return style.chartDir().isEmpty() ? "" : style.chartDir() + "/";
            }
            return chartOrigin(style) + "/";
        }

        private List<ManifestObject> raw() throws RenderException {
            List<String> overlays = options.yaml() == null ? null : options.yaml().overlays();
            BundleFiles patched = Overlays.apply(files, overlays);
            List<String> nestedDirs = new ArrayList<>();
            for (String name : patched.asMap().keySet()) {
                if (name.endsWith("/fleet.yaml") || name.endsWith("/fleet.yml") || name.endsWith("/Chart.yaml")) {
                    nestedDirs.add(name.substring(0, name.lastIndexOf('/') + 1));
                }
            }
            List<ManifestObject> objects = new ArrayList<>();
            SortedMap<String, byte[]> templates = new TreeMap<>();
            for (String name : patched.asMap().keySet()) {
                if (!isManifest(name) || nestedDirs.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                if (name.startsWith("templates/")) {
                    templates.put(name, patched.bytes(name));
                } else {
                    objects.addAll(ManifestParser.parseFile(name, patched.text(name)));
                }
            }
            if (!templates.isEmpty()) {
                objects.addAll(renderTemplates(templates));
            }
            return objects;
        }

        /** Fleet's chart for raw bundles with {@code templates/}: name from the bundle, version from the content. */
        private List<ManifestObject> renderTemplates(SortedMap<String, byte[]> templates) throws RenderException {
            SortedMap<String, byte[]> chart = new TreeMap<>(templates);
            String chartYaml = "apiVersion: v2\nname: " + bundleName.substring(bundleName.lastIndexOf('/') + 1)
                    + "\nversion: v0.0.0+" + contentHash() + "\n";
            chart.put(BundleStyle.CHART_YAML, chartYaml.getBytes(StandardCharsets.UTF_8));
            Path chartDir = directory("raw-chart");
            BundleFiles.of(chart).writeTo(chartDir);
            String output = HelmTemplater.template(chartDir, releaseName(), namespace(), valuesFile(), "templates/",
                    scratch);
            return ManifestParser.parseRendered("templates/", output);
        }

        private List<ManifestObject> kustomize(String dir, String helmOutput) throws RenderException {
            Path kustomizeDir = dir.isEmpty() ? bundleDir() : bundleDir().resolve(dir);
            String kustomization = BundleStyle.join(dir, BundleStyle.KUSTOMIZATION_YAML);
            if (helmOutput != null) {
                addHelmOutput(kustomizeDir, kustomization, helmOutput);
            }
            String output;
            try {
                output = ctx.kustomize().build(kustomizeDir);
            } catch (RenderException e) {
                throw e.file() != null ? e : RenderException.inFile(kustomization, null, e.detail(), e);
            }
            return ManifestParser.parseRendered(kustomization, output);
        }

        /** As Fleet: Helm's output becomes the first resource of the kustomization. */
        @SuppressWarnings("unchecked")
        private void addHelmOutput(Path kustomizeDir, String kustomization, String helmOutput) throws RenderException {
            Object parsed = ManifestParser.parseSingle(kustomization, files.text(kustomization));
            Map<String, Object> data = parsed instanceof Map<?, ?> m
                    ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
            List<Object> resources = new ArrayList<>();
            if (data.get("resources") instanceof List<?> existing) {
                resources.addAll(existing);
            }
            if (!resources.contains(MANIFESTS_YAML)) {
                resources.add(0, MANIFESTS_YAML);
            }
            data.put("resources", resources);
            try {
                Files.writeString(kustomizeDir.resolve(MANIFESTS_YAML), helmOutput);
                Files.write(kustomizeDir.resolve(BundleStyle.KUSTOMIZATION_YAML), ManifestParser.YAML.writeValueAsBytes(data));
            } catch (IOException e) {
                throw RenderException.inFile(kustomization, null, "cannot write Helm output for kustomize: "
                        + e.getMessage(), e);
            }
        }

        private Path valuesFile() throws RenderException {
            HelmOptions helm = options.helm();
            if (helm == null) {
                return null;
            }
            List<Map<String, Object>> fileValues = new ArrayList<>();
            for (String valuesFile : helm.valuesFiles() == null ? List.<String>of() : helm.valuesFiles()) {
                String name = BundleStyle.clean(valuesFile);
                if (files.contains(name)) {
                    fileValues.add(valuesMap(name));
                }
            }
            Map<String, Object> values = HelmValues.mergeValuesFiles(helm.values(), fileValues);
            if (values == null || values.isEmpty()) {
                return null;
            }
            Path file = scratch.resolve("values.yaml");
            try {
                Files.write(file, ManifestParser.YAML.writeValueAsBytes(values));
                return file;
            } catch (IOException e) {
                throw RenderException.inFile(null, null, "cannot write Helm values: " + e.getMessage(), e);
            }
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> valuesMap(String name) throws RenderException {
            Object parsed = ManifestParser.parseSingle(name, files.text(name));
            if (parsed == null) {
                return Map.of();
            }
            if (!(parsed instanceof Map<?, ?> map)) {
                throw RenderException.inFile(name, null, "a Helm values file must hold a mapping");
            }
            return (Map<String, Object>) map;
        }

        private String releaseName() {
            HelmOptions helm = options.helm();
            return helm != null && helm.releaseName() != null && !helm.releaseName().isEmpty()
                    ? helm.releaseName() : ctx.releaseName();
        }

        private String namespace() {
            return Namespaces.releaseNamespace(options.defaultNamespace(), options.namespace());
        }

        private Path bundleDir() throws RenderException {
            if (materialised == null) {
                materialised = directory("bundle");
                files.writeTo(materialised);
            }
            return materialised;
        }

        private Path directory(String name) throws RenderException {
            try {
                return Files.createDirectory(scratch.resolve(name));
            } catch (IOException e) {
                throw RenderException.inFile(null, null, "cannot create " + scratch.resolve(name) + ": "
                        + e.getMessage(), e);
            }
        }

        private String contentHash() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                for (Map.Entry<String, byte[]> file : files.asMap().entrySet()) {
                    sha.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(file.getValue());
                }
                return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
        }
    }

    private static boolean isManifest(String name) {
        if (name.equals("fleet.yaml") || name.equals("fleet.yml")) {
            return false;
        }
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete render directory {}: {}", dir, e.toString());
        }
    }
}

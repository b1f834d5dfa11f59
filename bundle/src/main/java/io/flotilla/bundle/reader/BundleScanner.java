package io.flotilla.bundle.reader;

import io.flotilla.bundle.options.BundleResource;
import io.flotilla.bundle.options.DeploymentIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a git checkout (a plain directory) into bundles the way Fleet's {@code fleet apply} does (§2.2-§2.4):
 * which directories become bundles, which files become their resources, their names and labels, and their
 * content ids. Pure apart from reading files; it never writes.
 */
public final class BundleScanner {

    /** Default upper bound of the summed resource bytes of one bundle. */
    public static final long DEFAULT_SIZE_LIMIT = 10L * 1024 * 1024;
    /** Label naming the GitRepo a bundle came from (Fleet's {@code fleet.cattle.io/repo-name}). */
    public static final String REPO_NAME_LABEL = "flotilla.io/repo-name";
    /** Label holding the commit a bundle was read from (Fleet's {@code fleet.cattle.io/commit}). */
    public static final String COMMIT_LABEL = "flotilla.io/commit";

    /** Fleet stores every resource as base64+gz once the serialised bundle reaches this many bytes. */
    static final long COMPRESS_ALL_THRESHOLD = 1_000_000;

    private final long sizeLimit;

    private BundleScanner(long sizeLimit) {
        if (sizeLimit <= 0) {
            throw new IllegalArgumentException("bundle size limit must be positive, got " + sizeLimit);
        }
        this.sizeLimit = sizeLimit;
    }

    /** A scanner with the default 10 MiB limit per bundle. */
    public static BundleScanner create() {
        return new BundleScanner(DEFAULT_SIZE_LIMIT);
    }

    /** A scanner that rejects bundles whose resources add up to more than {@code bytes}. */
    public static BundleScanner withSizeLimit(long bytes) {
        return new BundleScanner(bytes);
    }

    public long sizeLimit() {
        return sizeLimit;
    }

    /**
     * The bundles of a checkout, in scan order. Directories whose resource list ends up empty are left out;
     * an empty result is not an error here, because the caller must first prune the GitRepo's bundles and then
     * report {@link #noResourcesMessage(ScanRequest)} (§2.2.1 step 4).
     *
     * @throws BundleReadException for an invalid fleet.yaml or .fleetignore, a symlink leaving its bundle, a
     *                             bundle over the size limit, a missing driven-scan directory or options file,
     *                             or two directories producing the same bundle name
     */
    public List<ScannedBundle> scan(ScanRequest request) {
        Path root = request.root();
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new BundleReadException("cannot read checkout " + root + ": " + e.getMessage(), e);
        }
        Map<String, ScannedBundle> byName = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Candidate candidate : candidates(request)) {
            if (!seen.add(candidate.dir() + "\u0000" + candidate.optionsFile())) {
                continue;
            }
            ScannedBundle bundle = read(request, realRoot, candidate);
            if (bundle == null) {
                continue;
            }
            ScannedBundle clash = byName.putIfAbsent(bundle.name(), bundle);
            if (clash != null) {
                throw new BundleReadException("directories " + clash.dir() + " and " + bundle.dir()
                        + " both produce bundle " + bundle.name());
            }
        }
        return List.copyOf(byName.values());
    }

    /** Fleet's error text for a scan that found no bundle at all. */
    public static String noResourcesMessage(ScanRequest request) {
        return "no resource found at the following paths to deploy: [" + String.join(" ", request.effectivePaths())
                + "]";
    }

    private record Candidate(String dir, String optionsFile) {
    }

    private static List<Candidate> candidates(ScanRequest request) {
        List<Candidate> out = new ArrayList<>();
        if (request.driven()) {
            for (DrivenBundle entry : request.bundles()) {
                String dir = GoPaths.clean(entry.base());
                if (GoPaths.escapes(dir) || GoPaths.escapes(GoPaths.clean(GoPaths.join(dir, entry.options())))) {
                    throw new BundleReadException("invalid bundle path " + entry + ": paths must stay inside the repository");
                }
                out.add(new Candidate(dir, entry.options()));
            }
        } else {
            for (String dir : BundleDiscovery.bundleDirs(request.root(), request.paths())) {
                out.add(new Candidate(dir, ""));
            }
        }
        return out;
    }

    private ScannedBundle read(ScanRequest request, Path realRoot, Candidate candidate) {
        String dir = candidate.dir();
        Path bundleDir = dir.equals(".") ? request.root() : request.root().resolve(dir);
        checkBundleDir(bundleDir, dir, realRoot);

        String optionsName = candidate.optionsFile().isEmpty()
                ? BundleDiscovery.fleetYamlName(bundleDir) : candidate.optionsFile();
        byte[] options = null;
        FleetYamlFacts facts = FleetYamlFacts.EMPTY;
        String optionsPath = null;
        if (optionsName != null) {
            optionsPath = GoPaths.join(dir, optionsName);
            options = readOptionsFile(bundleDir, dir, optionsName, optionsPath);
            facts = FleetYamlFacts.parse(new String(options, StandardCharsets.UTF_8), optionsPath);
        }

        String name = facts.name().isEmpty()
                ? BundleNames.bundleName(request.repoName(), dir, candidate.optionsFile())
                : facts.name();

        List<BundleFiles.Entry> entries = BundleFiles.list(bundleDir, dir, excludedNames(optionsName, facts));
        long size = entries.stream().mapToLong(BundleFiles.Entry::size).sum();
        if (size > sizeLimit) {
            throw new BundleReadException("bundle " + name + " (" + dir + ") is " + size
                    + " bytes, over the limit of " + sizeLimit + " bytes");
        }
        List<BundleResource> resources = encode(entries, dir);
        if (resources.isEmpty()) {
            return null;
        }
        Map<String, String> valuesFiles = readValuesFiles(bundleDir, dir, realRoot, facts);
        return new ScannedBundle(name, Path.of(dir), optionsPath == null ? null : Path.of(optionsPath), options,
                ValuesFileMerge.apply(facts.fleetYaml(), valuesFiles, dir), resources, labels(request, facts),
                DeploymentIds.manifestId(resources), valuesFiles);
    }

    /**
     * Fleet's "apply configs" left out of the resources: {@code fleet.yaml} (always), the options file read, and
     * every values file both as written and by its base name (so a root-level file of that name goes too).
     */
    private static Set<String> excludedNames(String optionsName, FleetYamlFacts facts) {
        Set<String> excluded = new LinkedHashSet<>();
        excluded.add(BundleDiscovery.FLEET_YAML);
        if (optionsName != null) {
            excluded.add(optionsName);
        }
        List<String> valuesFiles = new ArrayList<>(facts.bundleValuesFiles());
        valuesFiles.addAll(facts.targetValuesFiles());
        for (String vf : valuesFiles) {
            excluded.add(vf);
            excluded.add(GoPaths.base(vf));
        }
        return excluded;
    }

    private static void checkBundleDir(Path bundleDir, String dir, Path realRoot) {
        if (!Files.isDirectory(bundleDir)) {
            throw new BundleReadException("bundle directory " + dir + " does not exist");
        }
        try {
            if (!bundleDir.toRealPath().startsWith(realRoot)) {
                throw new BundleReadException("bundle directory " + dir + " is a symlink to outside the repository");
            }
        } catch (IOException e) {
            throw new BundleReadException("cannot read bundle directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readOptionsFile(Path bundleDir, String dir, String optionsName, String optionsPath) {
        if (!Files.exists(bundleDir.resolve(optionsName))) {
            throw new BundleReadException("failed to open file " + optionsPath + ": no such file");
        }
        Path real = BundleFiles.resolveInside(bundleDir, dir, optionsName);
        try {
            return Files.readAllBytes(real);
        } catch (IOException e) {
            throw new BundleReadException("cannot read " + optionsPath + ": " + e.getMessage(), e);
        }
    }

    private List<BundleResource> encode(List<BundleFiles.Entry> entries, String dir) {
        List<byte[]> contents = new ArrayList<>(entries.size());
        for (BundleFiles.Entry entry : entries) {
            try {
                contents.add(Files.readAllBytes(entry.file()));
            } catch (IOException e) {
                throw new BundleReadException("cannot read " + GoPaths.join(dir, entry.name()) + ": " + e.getMessage(), e);
            }
        }
        List<BundleResource> resources = encode(entries, contents, false);
        if (manifestJsonSize(resources) >= COMPRESS_ALL_THRESHOLD) {
            return encode(entries, contents, true);
        }
        return resources;
    }

    private static List<BundleResource> encode(List<BundleFiles.Entry> entries, List<byte[]> contents, boolean all) {
        List<BundleResource> resources = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            resources.add(ContentEncoding.encode(entries.get(i).name(), contents.get(i), all));
        }
        return resources;
    }

    /** Bytes of the manifest JSON, standing in for Fleet's size of the whole serialised Bundle. */
    private static long manifestJsonSize(List<BundleResource> resources) {
        return DeploymentIds.canonicalJson(Map.of("resources", resources)).getBytes(StandardCharsets.UTF_8).length;
    }

    private static Map<String, String> labels(ScanRequest request, FleetYamlFacts facts) {
        Map<String, String> labels = new LinkedHashMap<>(request.repoLabels());
        labels.put(REPO_NAME_LABEL, request.repoName());
        if (request.commit() != null && !request.commit().isEmpty()) {
            labels.put(COMMIT_LABEL, request.commit());
        }
        labels.putAll(facts.labels());
        return labels;
    }

    /**
     * Reads the values files the fleet.yaml names. As in Fleet, a missing file is an error for targets, and for
     * the bundle-level list only when {@code helm.chart} is set (otherwise Fleet never reads them).
     */
    private static Map<String, String> readValuesFiles(Path bundleDir, String dir, Path realRoot, FleetYamlFacts facts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String vf : facts.bundleValuesFiles()) {
            readValuesFile(bundleDir, dir, realRoot, vf, facts.bundleChart(), out);
        }
        for (String vf : facts.targetValuesFiles()) {
            readValuesFile(bundleDir, dir, realRoot, vf, true, out);
        }
        return out;
    }

    private static void readValuesFile(Path bundleDir, String dir, Path realRoot, String vf, boolean required,
                                       Map<String, String> out) {
        if (out.containsKey(vf)) {
            return;
        }
        String display = GoPaths.join(dir, vf);
        try {
            Path real = bundleDir.resolve(vf).toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new BundleReadException("values file " + display + " is outside the repository");
            }
            out.put(vf, Files.readString(real, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            if (required) {
                throw new BundleReadException("reading values file: " + display + ": no such file", e);
            }
        } catch (IOException e) {
            throw new BundleReadException("reading values file: " + display + ": " + e.getMessage(), e);
        }
    }
}

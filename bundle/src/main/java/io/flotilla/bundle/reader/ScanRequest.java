package io.flotilla.bundle.reader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to read from a checkout: the GitRepo's name, labels, the checked-out commit, and either its
 * {@code paths} (classic scan, globs; empty means {@code .}) or its {@code bundles} (driven scan, which
 * wins when non-empty).
 *
 * @param commit the commit sha for the {@code flotilla.io/commit} label; null or empty leaves it out
 */
public record ScanRequest(
        Path root,
        String repoName,
        String commit,
        Map<String, String> repoLabels,
        List<String> paths,
        List<DrivenBundle> bundles) {

    public ScanRequest {
        if (root == null || repoName == null || repoName.isEmpty()) {
            throw new IllegalArgumentException("a scan needs a checkout root and a GitRepo name");
        }
        repoLabels = repoLabels == null ? Map.of() : Map.copyOf(repoLabels);
        paths = paths == null ? List.of() : List.copyOf(paths);
        bundles = bundles == null ? List.of() : List.copyOf(bundles);
    }

    /** A classic scan of the whole checkout ({@code paths} empty). */
    public static ScanRequest of(Path root, String repoName) {
        return new ScanRequest(root, repoName, null, Map.of(), List.of(), List.of());
    }

    public ScanRequest withPaths(List<String> newPaths) {
        return new ScanRequest(root, repoName, commit, repoLabels, newPaths, bundles);
    }

    public ScanRequest withBundles(List<DrivenBundle> newBundles) {
        return new ScanRequest(root, repoName, commit, repoLabels, paths, newBundles);
    }

    public ScanRequest withCommit(String newCommit) {
        return new ScanRequest(root, repoName, newCommit, repoLabels, paths, bundles);
    }

    public ScanRequest withRepoLabels(Map<String, String> labels) {
        return new ScanRequest(root, repoName, commit, labels, paths, bundles);
    }

    /** Whether the GitRepo's {@code bundles} list drives the scan (§2.2.2). */
    public boolean driven() {
        return !bundles.isEmpty();
    }

    /** The paths as Fleet passes them to {@code fleet apply}, {@code .} when none are given. */
    public List<String> effectivePaths() {
        if (driven()) {
            return bundles.stream().map(DrivenBundle::toString).toList();
        }
        return paths.isEmpty() ? List.of(".") : paths;
    }
}

package io.flotilla.bench;

import io.flotilla.bundle.reader.BundleScanner;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.store.StoreListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fleet's gitops experiments on a local repository served over git://: {@code create-1-gitrepo-50-bundle}
 * (one GitRepo whose 50 directories are 50 bundles) and {@code create-50-gitrepo-50-bundle} (50 GitRepos on
 * the same repository, each with {@code paths} naming one directory). Measured from just before the first
 * GitRepo POST to the 50th Bundle stored. No clusters: only the GitRepo → Bundle path is timed.
 */
final class GitOpsBench {
    /** GitRepos of earlier runs stay; a long interval keeps their polls out of later runs. */
    private static final String POLLING = "1h";

    private GitOpsBench() {
    }

    static Report run(String commit, int bundles, int repeats) throws Exception {
        Report report = new Report("gitops", commit);
        report.parameters().put("bundles", bundles).put("repeats", repeats).put("warmupRuns", 1)
                .put("git", "JGit git:// daemon on 127.0.0.1, one repository");
        Path gitDir = Files.createTempDirectory("flotilla-bench-git");
        Map<String, Milestone> byRepo = new ConcurrentHashMap<>();
        try (LocalGitServer git = LocalGitServer.start(gitDir); BenchManager m = BenchManager.start("gitops")) {
            String url = git.createRepo("bundles", bundles);
            m.manager.store().addListener((type, object) -> {
                if (type == StoreListener.EventType.ADDED && Json.kind(object).orElse(null) == Kind.BUNDLE) {
                    Milestone milestone = byRepo.get(Json.labels(object).getOrDefault(BundleScanner.REPO_NAME_LABEL, ""));
                    if (milestone != null) {
                        milestone.add();
                    }
                }
            });
            List<Double> one = new ArrayList<>();
            List<Double> many = new ArrayList<>();
            for (int run = 0; run <= repeats; run++) {
                // create-1-gitrepo-50-bundle
                Milestone all = new Milestone(bundles);
                String name = "one-" + run;
                byRepo.put(name, all);
                long start = System.nanoTime();
                m.api.createGitRepo(name, url, List.of(), POLLING);
                double oneMs = (all.await(name + " bundles", 60) - start) / 1e6;

                // create-50-gitrepo-50-bundle: the same Milestone counts the bundles of every GitRepo of the run.
                Milestone fifty = new Milestone(bundles);
                for (int b = 0; b < bundles; b++) {
                    byRepo.put("many-" + run + "-" + b, fifty);
                }
                start = System.nanoTime();
                for (int b = 0; b < bundles; b++) {
                    m.api.createGitRepo("many-" + run + "-" + b, url, List.of(LocalGitServer.bundleDir(b)), POLLING);
                }
                double manyMs = (fifty.await("bundles of " + bundles + " GitRepos", 120) - start) / 1e6;
                System.out.printf("gitops run %d%s: 1 GitRepo → %d bundles %.0f ms; %d GitRepos → %d bundles %.0f ms%n", run,
                        run == 0 ? " (warm-up)" : "", bundles, oneMs, bundles, bundles, manyMs);
                if (run == 0) {
                    report.raw().put("warmupOneGitRepoMillis", oneMs).put("warmupManyGitReposMillis", manyMs);
                } else {
                    one.add(oneMs);
                    many.add(manyMs);
                }
            }
            double[] oneSorted = one.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] manySorted = many.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            // Fleet's figures (about 8 s for 50 bundles) are the anchor; ours must stay well under them.
            report.figure("create_1_gitrepo_50_bundle_median", Report.percentile(oneSorted, 50) / 1000, 8, "s");
            report.info("create_1_gitrepo_50_bundle_max", oneSorted[oneSorted.length - 1] / 1000, "s");
            report.figure("create_50_gitrepo_50_bundle_median", Report.percentile(manySorted, 50) / 1000, 8, "s");
            report.info("create_50_gitrepo_50_bundle_max", manySorted[manySorted.length - 1] / 1000, "s");
            report.raw().set("oneGitRepoMillis", Json.MAPPER.valueToTree(oneSorted));
            report.raw().set("manyGitReposMillis", Json.MAPPER.valueToTree(manySorted));
        } finally {
            BenchManager.deleteTree(gitDir);
        }
        return report;
    }
}

package io.flotilla.manager.rollout;

import io.flotilla.bundle.options.IntOrString;
import io.flotilla.bundle.options.RolloutStrategy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides, for one bundle, which targets get a BundleDeployment now, which BDs get the new options staged and which
 * are promoted (their staged options released to the agent), following Fleet's rollout strategy (fleet-semantics
 * §8): partitions by cluster name, selector or group (or automatic ones), {@code maxUnavailable} per bundle and per
 * partition, {@code maxUnavailablePartitions}, and at most {@code maxNew} BDs created per step. Paused targets are
 * staged but never promoted (§1.1-1.3, §5.3). Pure: plain values in, a plan out.
 */
public final class RolloutPlanner {

    /** Fleet creates at most this many BDs of a bundle per reconcile. */
    public static final int MAX_NEW = 50;
    /** Below this many targets automatic partitioning makes a single partition. */
    public static final int DEFAULT_AUTO_PARTITION_THRESHOLD = 200;
    private static final IntOrString ALL = IntOrString.of("100%");
    private static final IntOrString AUTO_PARTITION_SIZE = IntOrString.of("25%");
    private static final IntOrString NONE = IntOrString.of(0);

    private RolloutPlanner() {
    }

    /**
     * A stored BD as the rollout sees it: the released {@code deploymentId} (empty before the first release), the
     * {@code stagedDeploymentId}, and the agent's last report.
     */
    public record Bd(String deploymentId, String stagedDeploymentId, String appliedDeploymentId, boolean ready) {
        public Bd {
            deploymentId = deploymentId == null ? "" : deploymentId;
            stagedDeploymentId = stagedDeploymentId == null ? "" : stagedDeploymentId;
            appliedDeploymentId = appliedDeploymentId == null ? "" : appliedDeploymentId;
        }

        /** A BD created in this step: nothing released, applied or ready yet. */
        static final Bd NEW = new Bd("", "", "", false);

        /** Not running the released version, or not ready (§8 isUnavailable). */
        public boolean unavailable() {
            return !appliedDeploymentId.equals(deploymentId) || !ready;
        }
    }

    /**
     * One target of the bundle.
     *
     * @param cluster      the cluster's name (targets are processed in name order, as in Fleet)
     * @param deploymentId the deploymentID targeting wants for it
     * @param partitions   indices of the manual partitions it matches (ignored without manual partitions)
     * @param bd           its stored BD, or null when it has none yet
     * @param paused       its cluster or the bundle is paused
     */
    public record Target(String cluster, String deploymentId, List<Integer> partitions, Bd bd, boolean paused) {
        public Target {
            partitions = partitions == null ? List.of() : List.copyOf(partitions);
        }

    }

    /** One partition's figures (Bundle {@code status.partitions[]}); {@code clusters} are its members. */
    public record PartitionStatus(String name, int count, int maxUnavailable, int unavailable, List<String> clusters) {
        public PartitionStatus {
            clusters = List.copyOf(clusters);
        }
    }

    /** The rollout fields of Bundle status (§1.2). */
    public record Figures(int maxUnavailable, int maxUnavailablePartitions, int unavailablePartitions, int maxNew,
                          int newlyCreated, List<PartitionStatus> partitions) {
        public Figures {
            partitions = List.copyOf(partitions);
        }
    }

    /** Cluster names: BDs to create, BDs to stage the wanted options on, BDs to promote (release) now. */
    public record Plan(Set<String> create, Set<String> stage, Set<String> promote, Figures figures) {
        public Plan {
            create = Set.copyOf(create);
            stage = Set.copyOf(stage);
            promote = Set.copyOf(promote);
        }
    }

    /** A value of the strategy cannot be read; the message names it. */
    public static final class RolloutException extends RuntimeException {
        RolloutException(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Partition {
        final String name;
        final List<Target> targets;
        final int maxUnavailable;
        int unavailable;

        Partition(String name, List<Target> targets, int maxUnavailable) {
            this.name = name;
            this.targets = targets;
            this.maxUnavailable = maxUnavailable;
        }
    }

    /**
     * @param strategy the bundle's {@code rolloutStrategy}, or null
     * @throws RolloutException when a limit is neither an integer nor a percentage
     */
    public static Plan plan(RolloutStrategy strategy, List<Target> targets, int maxNew) {
        RolloutStrategy s = strategy == null ? new RolloutStrategy(null, null, null, null, null) : strategy;
        List<Target> sorted = new ArrayList<>(targets);
        sorted.sort(Comparator.comparing(Target::cluster));
        List<Partition> partitions = partitions(s, sorted);
        int maxUnavailable = limit("maxUnavailable", sorted.size(), s.maxUnavailable());
        int maxUnavailablePartitions = limit("maxUnavailablePartitions", partitions.size(),
                s.maxUnavailablePartitions(), NONE);
        int unavailable = 0;
        for (Target t : sorted) {
            if (t.bd() != null && t.bd().unavailable()) {
                unavailable++;
            }
        }
        for (Partition p : partitions) {
            for (Target t : p.targets) {
                if (t.bd() != null && t.bd().unavailable()) {
                    p.unavailable++;
                }
            }
        }
        Set<String> create = new LinkedHashSet<>();
        Set<String> stage = new LinkedHashSet<>();
        Set<String> promote = new LinkedHashSet<>();
        int newlyCreated = 0;
        int unavailablePartitions = 0;
        for (Partition p : partitions) {
            List<Target> staged = new ArrayList<>();
            for (Target t : p.targets) {
                if (t.bd() == null && !create.contains(t.cluster())) {
                    if (newlyCreated >= maxNew) {
                        continue;
                    }
                    newlyCreated++;
                    create.add(t.cluster());
                }
                stage.add(t.cluster());
                staged.add(t);
            }
            for (Target t : staged) {
                Bd bd = t.bd() == null ? Bd.NEW : t.bd();
                if (t.paused() || promote.contains(t.cluster()) || t.deploymentId().equals(bd.deploymentId())) {
                    continue;
                }
                boolean itselfUnavailable = bd.unavailable();
                if ((unavailable < maxUnavailable || itselfUnavailable)
                        && (p.unavailable < p.maxUnavailable || itselfUnavailable)) {
                    if (!itselfUnavailable) {
                        unavailable++;
                        p.unavailable++;
                    }
                    promote.add(t.cluster());
                }
            }
            // recount: a target is unavailable here while staged, released and applied IDs are not all the wanted one
            p.unavailable = 0;
            for (Target t : p.targets) {
                Bd bd = t.bd() == null ? Bd.NEW : t.bd();
                String want = t.deploymentId();
                String stagedId = stage.contains(t.cluster()) ? want : bd.stagedDeploymentId();
                String released = promote.contains(t.cluster()) ? want : bd.deploymentId();
                boolean upToDate = want.equals(stagedId) && want.equals(released) && want.equals(bd.appliedDeploymentId());
                if (!upToDate || bd.unavailable()) {
                    p.unavailable++;
                }
            }
            if (p.unavailable > p.maxUnavailable) {
                unavailablePartitions++;
            }
            if (unavailablePartitions > maxUnavailablePartitions) {
                break;
            }
        }
        List<PartitionStatus> partitionStatus = new ArrayList<>();
        for (Partition p : partitions) {
            partitionStatus.add(new PartitionStatus(p.name, p.targets.size(), p.maxUnavailable, p.unavailable,
                    p.targets.stream().map(Target::cluster).toList()));
        }
        return new Plan(create, stage, promote, new Figures(maxUnavailable, maxUnavailablePartitions,
                unavailablePartitions, maxNew, newlyCreated, partitionStatus));
    }

    private static List<Partition> partitions(RolloutStrategy s, List<Target> targets) {
        List<Partition> result = new ArrayList<>();
        List<RolloutStrategy.Partition> manual = s.partitions() == null ? List.of() : s.partitions();
        if (!manual.isEmpty()) {
            for (int i = 0; i < manual.size(); i++) {
                RolloutStrategy.Partition spec = manual.get(i);
                List<Target> members = new ArrayList<>();
                for (Target t : targets) {
                    if (t.partitions().contains(i)) {
                        members.add(t);
                    }
                }
                String name = spec.name() == null || spec.name().isEmpty() ? "partitions[" + i + "]" : spec.name();
                result.add(new Partition(name, members, limit("partitions[" + i + "].maxUnavailable", members.size(),
                        spec.maxUnavailable(), s.maxUnavailable())));
            }
            return result;
        }
        int threshold = s.autoPartitionThreshold() == null ? DEFAULT_AUTO_PARTITION_THRESHOLD
                : s.autoPartitionThreshold();
        IntOrString size = s.autoPartitionSize();
        if ((size != null && size.isInt() && size.intValue() <= 0) || threshold <= 0 || targets.size() < threshold) {
            result.add(new Partition("All", targets, limit("maxUnavailable", targets.size(), s.maxUnavailable())));
            return result;
        }
        int chunk = limit("autoPartitionSize", targets.size(), size, AUTO_PARTITION_SIZE);
        for (int offset = 0; offset < targets.size(); offset += chunk) {
            int end = Math.min(targets.size(), offset + chunk);
            List<Target> members = targets.subList(offset, end);
            result.add(new Partition("Partition " + offset + " - " + end, members,
                    limit("maxUnavailable", members.size(), s.maxUnavailable())));
        }
        return result;
    }

    /**
     * Fleet's {@code limit} (§8): the first non-null value (default 100%) as a count out of {@code count}. An integer
     * is clamped to {@code [0, count]}; a string holding an integer above 0 is taken as it is; a percentage is
     * {@code floor(count × p / 100)}, at least 1 and at most {@code count}. A count of 0 or less counts as 1.
     */
    public static int limit(String field, int count, IntOrString... values) {
        if (count <= 0) {
            count = 1;
        }
        IntOrString value = ALL;
        for (IntOrString v : values) {
            if (v != null) {
                value = v;
                break;
            }
        }
        if (value.isInt()) {
            return Math.max(0, Math.min(count, value.intValue()));
        }
        String text = value.stringValue().strip();
        try {
            int plain = Integer.parseInt(text);
            if (plain > 0) {
                return plain;
            }
        } catch (NumberFormatException notAnInteger) {
            // a percentage, below
        }
        if (!text.endsWith("%")) {
            throw new RolloutException("rolloutStrategy." + field + ": \"" + text
                    + "\" is neither a number nor a percentage like \"25%\"");
        }
        int percent;
        try {
            percent = Integer.parseInt(text.substring(0, text.length() - 1).strip());
        } catch (NumberFormatException e) {
            throw new RolloutException("rolloutStrategy." + field + ": \"" + text + "\" is not a valid percentage");
        }
        if (percent <= 0) {
            return 1;
        }
        int n = (int) Math.floor((double) count * percent / 100.0);
        return Math.max(1, Math.min(count, n));
    }
}

package io.flotilla.manager.status;

import java.util.List;
import java.util.Map;

/** Builders for status tests: bundles in namespace {@code fleet-default}, clusters in {@code fleet-default}. */
final class Fixtures {
    static final String NS = "fleet-default";
    static final ResourceRef WEB = new ResourceRef("Deployment", "apps/v1", "default", "web");
    static final ResourceRef SVC = new ResourceRef("Service", "v1", "default", "web");

    private Fixtures() {
    }

    static StatusKey cluster(String name) {
        return StatusKey.cluster(NS, name);
    }

    static StatusKey gitRepo(String name) {
        return StatusKey.gitRepo(NS, name);
    }

    static StatusKey bundle(String name) {
        return StatusKey.bundle(NS, name);
    }

    static StatusKey group(String name) {
        return StatusKey.clusterGroup(NS, name);
    }

    static BdKey bdKey(String bundle, String cluster) {
        return new BdKey("cluster-" + NS + "-" + cluster, bundle);
    }

    /** A BD of {@code bundle} (from {@code gitRepo}, may be null) on {@code cluster}, applied at d1 and ready. */
    static BdSnapshot readyBd(String gitRepo, String bundle, String cluster) {
        return new BdSnapshot("cluster-" + NS + "-" + cluster, bundle, NS, bundle, gitRepo, NS, cluster, "d1", "d1",
                false, BdReport.readyFor("d1", new ResourceCounts(2, 2, 0, 0, 0, 0, 0, 0), List.of(WEB, SVC)));
    }

    /** The same BD with the web Deployment still rolling out. */
    static BdSnapshot notReadyBd(String gitRepo, String bundle, String cluster) {
        NonReady rolling = new NonReady("uid-1", WEB, "in-progress", false, true, List.of("waiting for rollout"));
        return readyBd(gitRepo, bundle, cluster).withReport(new BdReport("d1", false, true, List.of(rolling), List.of(),
                false, new ResourceCounts(1, 2, 0, 0, 0, 0, 0, 1), List.of(WEB, SVC), false, "", "", ""));
    }

    /** A BD the agent never reported on. */
    static BdSnapshot unreportedBd(String gitRepo, String bundle, String cluster) {
        return readyBd(gitRepo, bundle, cluster).withReport(null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> status, String field) {
        return (Map<String, Object>) status.get(field);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> status, String field) {
        return (List<Map<String, Object>>) status.get(field);
    }

    static Map<String, Object> condition(Map<String, Object> status, String type) {
        return list(status, "conditions").stream().filter(c -> type.equals(c.get("type"))).findFirst().orElse(null);
    }
}

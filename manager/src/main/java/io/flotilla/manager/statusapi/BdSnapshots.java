package io.flotilla.manager.statusapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import io.flotilla.manager.deploy.BundleDeployments;
import io.flotilla.manager.status.BdReport;
import io.flotilla.manager.status.BdSnapshot;
import io.flotilla.manager.status.Modified;
import io.flotilla.manager.status.NonReady;
import io.flotilla.manager.status.ResourceCounts;
import io.flotilla.manager.status.ResourceRef;

import java.util.ArrayList;
import java.util.List;

/** Reads a stored BundleDeployment into what status aggregation needs. */
public final class BdSnapshots {
    private BdSnapshots() {
    }

    public static BdSnapshot from(JsonNode bd) {
        JsonNode labels = bd.path("metadata").path("labels");
        JsonNode spec = bd.path("spec");
        return new BdSnapshot(Json.namespace(bd), Json.name(bd),
                labels.path(BundleDeployments.BUNDLE_NAMESPACE_LABEL).asText(),
                labels.path(BundleDeployments.BUNDLE_NAME_LABEL).asText(),
                Json.text(labels, BundleDeployments.REPO_LABEL),
                labels.path(BundleDeployments.CLUSTER_NAMESPACE_LABEL).asText(),
                labels.path(BundleDeployments.CLUSTER_LABEL).asText(),
                Json.text(spec, "deploymentID"), Json.text(spec, "stagedDeploymentID"),
                spec.path("paused").asBoolean(false), report(bd.path("status")));
    }

    private static BdReport report(JsonNode status) {
        if (!status.has("appliedDeploymentID")) {
            return null;
        }
        List<NonReady> nonReady = new ArrayList<>();
        for (JsonNode n : status.path("nonReadyStatus")) {
            List<String> messages = new ArrayList<>();
            n.path("summary").path("message").forEach(m -> messages.add(m.asText()));
            nonReady.add(new NonReady(Json.text(n, "uid"), ref(n), n.path("summary").path("state").asText(""),
                    n.path("summary").path("error").asBoolean(), n.path("summary").path("transitioning").asBoolean(), messages));
        }
        List<Modified> modified = new ArrayList<>();
        for (JsonNode m : status.path("modifiedStatus")) {
            modified.add(new Modified(ref(m), m.path("missing").asBoolean(), m.path("exist").asBoolean(),
                    m.path("delete").asBoolean(), Json.text(m, "patch")));
        }
        List<ResourceRef> resources = new ArrayList<>();
        status.path("resources").forEach(r -> resources.add(ref(r)));
        JsonNode c = status.path("resourceCounts");
        ResourceCounts counts = new ResourceCounts(c.path("ready").asInt(), c.path("desiredReady").asInt(),
                c.path("waitApplied").asInt(), c.path("modified").asInt(), c.path("orphaned").asInt(),
                c.path("missing").asInt(), c.path("unknown").asInt(), c.path("notReady").asInt());
        return new BdReport(Json.text(status, "appliedDeploymentID"), status.path("ready").asBoolean(),
                status.path("nonModified").asBoolean(true), nonReady, modified, status.path("incompleteState").asBoolean(),
                counts, resources, "False".equals(condition(status, "Deployed", "status")),
                condition(status, "Deployed", "message"), condition(status, "Installed", "message"),
                condition(status, "Monitored", "message"));
    }

    private static ResourceRef ref(JsonNode n) {
        String ns = Json.text(n, "namespace");
        return new ResourceRef(n.path("kind").asText(), n.path("apiVersion").asText(), ns == null || ns.isEmpty() ? null : ns,
                n.path("name").asText());
    }

    private static String condition(JsonNode status, String type, String field) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(Json.text(c, "type"))) {
                return Json.text(c, field);
            }
        }
        return null;
    }
}

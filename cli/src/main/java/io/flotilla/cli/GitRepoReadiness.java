package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether an applied GitRepo has rolled out, from its stored object alone (pure, for {@code apply --wait}): the
 * manager has taken the applied spec ({@code status.observedGeneration}) and fetched a commit, and its {@code Ready}
 * condition is True. Otherwise, what it waits for, with the non-ready resources the status lists.
 */
record GitRepoReadiness(boolean ready, String progress, List<String> reasons) {

    static GitRepoReadiness of(JsonNode gitRepo, long appliedGeneration) {
        JsonNode st = gitRepo.path("status");
        String bds = st.path("display").path("readyBundleDeployments").asText("");
        String clusters = st.path("readyClusters").asInt() + "/" + st.path("desiredReadyClusters").asInt();
        List<String> reasons = new ArrayList<>();
        String stalled = condition(st, "Stalled", "True");
        if (stalled != null) {
            reasons.add("stalled: " + stalled);
        }
        if (st.path("observedGeneration").asLong(-1) < appliedGeneration || Json.text(st, "commit") == null) {
            if (reasons.isEmpty()) {
                reasons.add("waiting for the manager to fetch the repository");
            }
            return new GitRepoReadiness(false, "fetching", reasons);
        }
        String progress = (bds.isEmpty() ? "0/0" : bds) + " bundledeployments ready, " + clusters + " clusters ready";
        String notReady = condition(st, "Ready", "False");
        boolean ready = stalled == null && notReady == null && "True".equals(conditionStatus(st, "Ready"));
        if (!ready) {
            if (notReady != null && !notReady.isEmpty()) {
                reasons.add(notReady);
            }
            for (JsonNode r : st.path("summary").path("nonReadyResources")) {
                reasons.add(describe(r));
            }
            if (reasons.isEmpty()) {
                reasons.add("Ready condition is " + (conditionStatus(st, "Ready") == null ? "not set yet" : conditionStatus(st, "Ready")));
            }
        }
        return new GitRepoReadiness(ready, progress, reasons);
    }

    /** {@code bundle NAME: STATE: message; Kind ns/name: state (messages); Kind ns/name modified} */
    private static String describe(JsonNode r) {
        StringBuilder b = new StringBuilder("bundle " + Json.text(r, "name") + ": " + r.path("bundleState").asText("?"));
        if (r.hasNonNull("message")) {
            b.append(": ").append(r.get("message").asText());
        }
        for (JsonNode n : r.path("nonReadyStatus")) {
            b.append("; ").append(ref(n)).append(" ").append(n.path("summary").path("state").asText("not ready"));
            List<String> messages = new ArrayList<>();
            n.path("summary").path("message").forEach(m -> messages.add(m.asText()));
            if (!messages.isEmpty()) {
                b.append(" (").append(String.join("; ", messages)).append(")");
            }
        }
        for (JsonNode m : r.path("modifiedStatus")) {
            b.append("; ").append(ref(m)).append(m.path("missing").asBoolean() ? " missing"
                    : m.path("delete").asBoolean() ? " to be deleted" : " modified");
        }
        return b.toString();
    }

    private static String ref(JsonNode r) {
        String ns = Json.text(r, "namespace");
        return Json.text(r, "kind") + " " + (ns == null || ns.isEmpty() ? "" : ns + "/") + Json.text(r, "name");
    }

    private static String conditionStatus(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(Json.text(c, "type"))) {
                return Json.text(c, "status");
            }
        }
        return null;
    }

    /** The condition's message (or "") when it has the given status, else null. */
    private static String condition(JsonNode status, String type, String value) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(Json.text(c, "type")) && value.equals(Json.text(c, "status"))) {
                String m = Json.text(c, "message");
                return m == null ? "" : m;
            }
        }
        return null;
    }
}

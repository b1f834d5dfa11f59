package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code flotilla describe} prints, as pure rendering (objects in, text out, no I/O): the object's facts and
 * display, its conditions, its children as a tree (GitRepo → Bundles → one line per cluster with the BD's state and
 * message; Bundle → clusters; Cluster → BDs) and its recent events, like {@code kubectl describe}.
 */
final class DescribeView {
    static final String BUNDLE_NAME_LABEL = "flotilla.io/bundle-name";
    static final String CLUSTER_LABEL = "flotilla.io/cluster";
    private static final int MAX_MESSAGE = 160;

    private DescribeView() {
    }

    /**
     * @param object  the described object
     * @param bundles a GitRepo's bundles (else empty)
     * @param bds     the BundleDeployments below it (a GitRepo's or Bundle's, or those on a Cluster)
     * @param events  events about it and its bundles, any order
     * @param now     for the events' ages
     */
    static String render(JsonNode object, List<JsonNode> bundles, List<JsonNode> bds, List<JsonNode> events, Instant now) {
        StringBuilder out = new StringBuilder();
        String kind = text(object, "kind");
        JsonNode md = object.path("metadata");
        JsonNode spec = object.path("spec");
        JsonNode status = object.path("status");
        JsonNode display = status.path("display");
        field(out, "Name", text(md, "name"));
        field(out, "Namespace", text(md, "namespace"));
        field(out, "Kind", kind);
        List<String> labels = new ArrayList<>();
        md.path("labels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
        field(out, "Labels", labels.isEmpty() ? "<none>" : String.join(",", labels));
        switch (kind) {
            case "GitRepo" -> {
                field(out, "Repo", text(spec, "repo"));
                String revision = text(spec, "revision");
                field(out, revision.isEmpty() ? "Branch" : "Revision", revision.isEmpty() ? text(spec, "branch") : revision);
                field(out, "Commit", text(status, "commit"));
                field(out, "Ready BDs", text(display, "readyBundleDeployments"));
                field(out, "Ready clusters", status.has("readyClusters")
                        ? status.path("readyClusters").asText() + "/" + status.path("desiredReadyClusters").asText() : "");
            }
            case "Bundle" -> field(out, "Ready clusters", text(display, "readyClusters"));
            case "Cluster" -> {
                field(out, "Agent", status.path("agent").path("connected").asBoolean() ? "connected" : "disconnected");
                field(out, "Last seen", text(status.path("agent"), "lastSeen"));
                field(out, "Ready bundles", text(display, "readyBundles"));
            }
            case "BundleDeployment" -> {
                field(out, "DeploymentID", text(spec, "deploymentID"));
                field(out, "Applied", text(status, "appliedDeploymentID"));
            }
            default -> { }
        }
        field(out, "State", text(display, "state"));
        field(out, "Message", text(display, "message"));
        conditions(out, status.path("conditions"));
        tree(out, object, bundles, bds);
        events(out, events, now);
        return out.toString();
    }

    private static void conditions(StringBuilder out, JsonNode conditions) {
        out.append("Conditions:\n");
        if (conditions.isEmpty()) {
            out.append("  <none>\n");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("TYPE", "STATUS", "REASON", "MESSAGE"));
        for (JsonNode c : conditions) {
            rows.add(List.of(text(c, "type"), text(c, "status"), text(c, "reason"), oneLine(text(c, "message"))));
        }
        indent(out, Tables.render(rows));
    }

    private static void tree(StringBuilder out, JsonNode object, List<JsonNode> bundles, List<JsonNode> bds) {
        String kind = text(object, "kind");
        if (!List.of("GitRepo", "Bundle", "Cluster").contains(kind)) {
            return;
        }
        out.append("Resources:\n");
        out.append("  ").append(kind).append(' ').append(text(object.path("metadata"), "name")).append('\n');
        if (kind.equals("GitRepo")) {
            Map<String, List<JsonNode>> byBundle = new TreeMap<>();
            bundles.forEach(b -> byBundle.put(text(b.path("metadata"), "name"), new ArrayList<>()));
            for (JsonNode bd : bds) {
                String bundle = text(bd.path("metadata").path("labels"), BUNDLE_NAME_LABEL);
                byBundle.computeIfAbsent(bundle, k -> new ArrayList<>()).add(bd);
            }
            if (byBundle.isEmpty()) {
                out.append("  └── <no bundles>\n");
            }
            int i = 0;
            for (Map.Entry<String, List<JsonNode>> e : byBundle.entrySet()) {
                boolean last = ++i == byBundle.size();
                JsonNode bundle = bundles.stream().filter(b -> text(b.path("metadata"), "name").equals(e.getKey()))
                        .findFirst().orElse(null);
                String ready = bundle == null ? "" : text(bundle.path("status").path("display"), "readyClusters");
                out.append("  ").append(last ? "└── " : "├── ").append("Bundle ").append(e.getKey())
                        .append(ready.isEmpty() ? "" : "  (ready clusters " + ready + ")").append('\n');
                bdLines(out, "  " + (last ? "    " : "│   "), e.getValue(), CLUSTER_LABEL);
            }
        } else {
            bdLines(out, "  ", bds, kind.equals("Bundle") ? CLUSTER_LABEL : BUNDLE_NAME_LABEL);
        }
    }

    /** One line per BD: the cluster (or bundle) it is for, its state, and what is wrong when it is not Ready. */
    private static void bdLines(StringBuilder out, String prefix, List<JsonNode> bds, String nameLabel) {
        if (bds.isEmpty()) {
            out.append(prefix).append("└── <no BundleDeployments>\n");
            return;
        }
        List<JsonNode> sorted = new ArrayList<>(bds);
        sorted.sort(Comparator.comparing(bd -> name(bd, nameLabel)));
        int width = sorted.stream().mapToInt(bd -> name(bd, nameLabel).length()).max().orElse(0);
        int stateWidth = sorted.stream().mapToInt(bd -> bdState(bd).length()).max().orElse(0);
        for (int i = 0; i < sorted.size(); i++) {
            JsonNode bd = sorted.get(i);
            String state = bdState(bd);
            String message = bdMessage(bd, state);
            String line = String.format("%-" + width + "s  %-" + stateWidth + "s", name(bd, nameLabel), state)
                    + (message.isEmpty() ? "" : "  " + message);
            out.append(prefix).append(i == sorted.size() - 1 ? "└── " : "├── ").append(line.stripTrailing()).append('\n');
        }
    }

    private static String name(JsonNode bd, String label) {
        String n = text(bd.path("metadata").path("labels"), label);
        return n.isEmpty() ? text(bd.path("metadata"), "name") : n;
    }

    static String bdState(JsonNode bd) {
        String state = text(bd.path("status").path("display"), "state");
        return state.isEmpty() ? "WaitApplied" : state;
    }

    /** The Ready condition's message when not Ready, else the first non-ready or modified resource. */
    static String bdMessage(JsonNode bd, String state) {
        if (state.equals("Ready")) {
            return "";
        }
        JsonNode status = bd.path("status");
        for (JsonNode c : status.path("conditions")) {
            if (("Ready".equals(text(c, "type")) || "Deployed".equals(text(c, "type"))) && "False".equals(text(c, "status"))
                    && !text(c, "message").isEmpty()) {
                return oneLine(text(c, "message"));
            }
        }
        JsonNode nonReady = status.path("nonReadyStatus");
        if (nonReady.size() > 0) {
            JsonNode n = nonReady.get(0);
            List<String> messages = new ArrayList<>();
            n.path("summary").path("message").forEach(m -> messages.add(m.asText()));
            return oneLine(text(n, "kind").toLowerCase() + " " + text(n, "namespace") + "/" + text(n, "name") + " "
                    + text(n.path("summary"), "state") + (messages.isEmpty() ? "" : ": " + String.join("; ", messages)));
        }
        JsonNode modified = status.path("modifiedStatus");
        if (modified.size() > 0) {
            JsonNode m = modified.get(0);
            String how = m.path("missing").asBoolean() ? "missing" : m.path("delete").asBoolean() ? "extra" : "modified";
            return oneLine(text(m, "kind").toLowerCase() + " " + text(m, "namespace") + "/" + text(m, "name") + " " + how);
        }
        return "";
    }

    private static void events(StringBuilder out, List<JsonNode> events, Instant now) {
        out.append("Events:\n");
        if (events.isEmpty()) {
            out.append("  <none>\n");
            return;
        }
        List<JsonNode> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing((JsonNode e) -> {
            Instant t = instant(text(e, "lastTimestamp"));
            return t == null ? Instant.EPOCH : t;
        }).thenComparing(e -> text(e.path("metadata"), "name")));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "MESSAGE"));
        for (JsonNode e : sorted) {
            JsonNode io = e.path("involvedObject");
            rows.add(List.of(age(instant(text(e, "lastTimestamp")), now), text(e, "type"), text(e, "reason"),
                    text(io, "kind").toLowerCase() + "/" + text(io, "name"), e.path("count").asText("1"),
                    oneLine(text(e, "message"))));
        }
        indent(out, Tables.render(rows));
    }

    /** kubectl's short ages: 45s, 3m, 2h, 4d. */
    static String age(Instant then, Instant now) {
        if (then == null) {
            return "<unknown>";
        }
        long s = Math.max(0, Duration.between(then, now).getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        if (s < 172800) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }

    private static Instant instant(String text) {
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String oneLine(String message) {
        String m = message.replaceAll("\\s*\\n\\s*", " ").trim();
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE - 3) + "...";
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        out.append(String.format("%-16s%s", name + ":", value)).append('\n');
    }

    private static void indent(StringBuilder out, String table) {
        table.lines().forEach(l -> out.append("  ").append(l.stripTrailing()).append('\n'));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "" : v.asText();
    }
}

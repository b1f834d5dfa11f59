package io.flotilla.agent.readiness;

import io.flotilla.agent.model.Maps;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Readiness of a live object (fleet-semantics §7.3): Rancher's summary chain (status.summary, condition
 * tables, phase, LoadBalancer ingress) followed by kstatus-style checks per kind ({@link KindStatus}).
 */
public final class Readiness {
    /** Conditions that mean "not there yet" when False or Unknown, with the state they produce. */
    private static final Map<String, String> TRANSITIONING_WHEN_FALSE = Map.of(
            "Ready", "unavailable",
            "Available", "updating",
            "Completed", "activating",
            "Initialized", "initializing",
            "PodScheduled", "scheduling",
            "Established", "activating");

    private Readiness() {
    }

    /**
     * @param live             the live object as a plain map
     * @param ignoreConditions {@code ignore.conditions}: a condition matching every entry of any of these maps is
     *                         left out before summarising
     */
    public static ObjectSummary summarize(Map<String, Object> live, List<Map<String, String>> ignoreConditions) {
        String kind = Maps.string(live, "kind");
        List<Map<String, Object>> conditions = conditions(live, ignoreConditions == null ? List.of() : ignoreConditions);
        Builder s = new Builder();

        Map<String, Object> summary = Maps.map(live, "status", "summary");
        if (!summary.isEmpty()) {
            s.state(Maps.string(summary, "state"));
            s.error |= Boolean.TRUE.equals(summary.get("error"));
            s.transitioning |= Boolean.TRUE.equals(summary.get("transitioning"));
            Object message = summary.get("message");
            if (message instanceof List<?> list) {
                list.forEach(m -> s.message(String.valueOf(m)));
            } else if (message != null) {
                s.message(message.toString());
            }
        }
        s.state(Maps.string(live, "status", "display", "state"));

        for (Map<String, Object> c : conditions) {
            String type = Maps.string(c, "type");
            String status = Maps.string(c, "status");
            String reason = Maps.string(c, "reason");
            String message = Maps.string(c, "message");
            if (isError(kind, type, status, reason)) {
                s.error = true;
                s.state("error");
                s.message(message.isEmpty() ? type + ": " + reason : message);
            } else if (TRANSITIONING_WHEN_FALSE.containsKey(type) && !"True".equals(status)) {
                s.transitioning = true;
                s.state(TRANSITIONING_WHEN_FALSE.get(type));
                s.message(message);
            } else if ("Reconciling".equals(type) && "True".equals(status)) {
                s.transitioning = true;
                s.state("reconciling");
                s.message(message);
            }
        }

        String phase = Maps.string(live, "status", "phase");
        switch (phase) {
            case "" -> { }
            case "Succeeded", "Bound" -> {
                s.transitioning = false;
                s.state = phase.toLowerCase(Locale.ROOT);
            }
            case "Failed" -> {
                s.error = true;
                s.state("failed");
            }
            case "Pending" -> {
                s.transitioning = true;
                s.state("pending");
            }
            default -> s.state(phase.toLowerCase(Locale.ROOT));
        }

        if ("Service".equals(kind) && "LoadBalancer".equals(Maps.string(live, "spec", "type"))
                && Maps.list(live, "status", "loadBalancer", "ingress").isEmpty()) {
            s.transitioning = true;
            s.state("pending");
            s.message("waiting for load balancer ingress");
        }

        KindStatus.Result result = KindStatus.of(live, conditions);
        switch (result.status()) {
            case IN_PROGRESS -> {
                s.transitioning = true;
                s.state("in-progress");
            }
            case FAILED -> {
                s.error = true;
                s.state("error");
            }
            case TERMINATING -> {
                s.transitioning = true;
                s.state("removing");
            }
            case CURRENT -> { }
        }
        s.message(result.message());
        return s.build();
    }

    private static boolean isError(String kind, String type, String status, String reason) {
        boolean isTrue = "True".equals(status);
        return switch (kind) {
            case "Deployment" -> ("ReplicaFailure".equals(type) && isTrue) || ("Progressing".equals(type)
                    && "False".equals(status)) || genericError(type, isTrue, reason);
            case "ReplicaSet" -> ("ReplicaFailure".equals(type) && isTrue) || genericError(type, isTrue, reason);
            case "Node" -> (isTrue && type.endsWith("Pressure")) || genericError(type, isTrue, reason);
            default -> genericError(type, isTrue, reason);
        };
    }

    private static boolean genericError(String type, boolean isTrue, String reason) {
        return (isTrue && ("Stalled".equals(type) || "Failed".equals(type))) || "Error".equals(reason);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> conditions(Map<String, Object> live, List<Map<String, String>> ignore) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object c : Maps.list(live, "status", "conditions")) {
            if (c instanceof Map<?, ?> m && ignore.stream().noneMatch(i -> matches(i, (Map<String, Object>) m))) {
                result.add((Map<String, Object>) m);
            }
        }
        return result;
    }

    private static boolean matches(Map<String, String> ignore, Map<String, Object> condition) {
        return !ignore.isEmpty() && ignore.entrySet().stream()
                .allMatch(e -> e.getValue().equals(Maps.string(condition, e.getKey())));
    }

    private static final class Builder {
        private String state = "";
        private boolean error;
        private boolean transitioning;
        private final Set<String> messages = new LinkedHashSet<>();

        /** The first non-empty state wins, as in Rancher's summarizer chain. */
        void state(String candidate) {
            if (state.isEmpty() && candidate != null) {
                state = candidate.toLowerCase(Locale.ROOT);
            }
        }

        void message(String message) {
            if (message != null && !message.isEmpty()) {
                messages.add(message);
            }
        }

        ObjectSummary build() {
            return new ObjectSummary(state.isEmpty() ? "active" : state, error, transitioning, new ArrayList<>(messages));
        }
    }
}

package io.flotilla.agent.hooks;

import io.flotilla.agent.model.Maps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a created hook has finished, as Helm's {@code WatchUntilReady} decides: a Job when its {@code Complete}
 * or {@code Failed} condition is True, a Pod when its phase is {@code Succeeded} or {@code Failed}; any other kind
 * as soon as it exists. Pure.
 */
public record HookCompletion(State state, String message) {
    public enum State { RUNNING, SUCCEEDED, FAILED }

    private static final HookCompletion RUNNING = new HookCompletion(State.RUNNING, "");
    private static final HookCompletion SUCCEEDED = new HookCompletion(State.SUCCEEDED, "");

    public static HookCompletion failed(String message) {
        return new HookCompletion(State.FAILED, message);
    }

    public boolean done() {
        return state != State.RUNNING;
    }

    /** The completion of a live hook object ({@code null}: it disappeared while Flotilla waited for it). */
    public static HookCompletion of(Map<String, Object> live) {
        if (live == null) {
            return failed("deleted before it completed");
        }
        String apiVersion = Maps.string(live, "apiVersion");
        String kind = Maps.string(live, "kind");
        if ("Job".equals(kind) && apiVersion.startsWith("batch/")) {
            return job(live);
        }
        if ("Pod".equals(kind) && "v1".equals(apiVersion)) {
            return pod(live);
        }
        return SUCCEEDED;
    }

    private static HookCompletion job(Map<String, Object> job) {
        for (Object c : Maps.list(job, "status", "conditions")) {
            if (c instanceof Map<?, ?> raw) {
                @SuppressWarnings("unchecked")
                Map<String, Object> condition = (Map<String, Object>) raw;
                if (!"True".equals(Maps.string(condition, "status"))) {
                    continue;
                }
                String type = Maps.string(condition, "type");
                if ("Failed".equals(type)) {
                    return failed(join(Maps.string(condition, "reason"), Maps.string(condition, "message"),
                            "job failed"));
                }
                if ("Complete".equals(type)) {
                    return SUCCEEDED;
                }
            }
        }
        return RUNNING;
    }

    private static HookCompletion pod(Map<String, Object> pod) {
        String phase = Maps.string(pod, "status", "phase");
        if ("Succeeded".equals(phase)) {
            return SUCCEEDED;
        }
        if (!"Failed".equals(phase)) {
            return RUNNING;
        }
        String message = join(Maps.string(pod, "status", "reason"), Maps.string(pod, "status", "message"), "");
        if (message.isEmpty()) {
            List<String> exits = new ArrayList<>();
            for (Object s : Maps.list(pod, "status", "containerStatuses")) {
                if (s instanceof Map<?, ?> raw) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> status = (Map<String, Object>) raw;
                    Map<String, Object> terminated = Maps.map(status, "state", "terminated");
                    long exitCode = Maps.number(terminated, 0, "exitCode");
                    if (!terminated.isEmpty() && exitCode != 0) {
                        String reason = Maps.string(terminated, "reason");
                        exits.add("container " + Maps.string(status, "name") + " exited with code " + exitCode
                                + (reason.isEmpty() ? "" : " (" + reason + ")"));
                    }
                }
            }
            message = exits.isEmpty() ? "pod failed" : String.join(", ", exits);
        }
        return failed(message);
    }

    private static String join(String reason, String message, String fallback) {
        if (reason.isEmpty()) {
            return message.isEmpty() ? fallback : message;
        }
        return message.isEmpty() ? reason : reason + ": " + message;
    }
}

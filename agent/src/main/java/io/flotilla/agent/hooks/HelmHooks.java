package io.flotilla.agent.hooks;

import io.flotilla.agent.model.Maps;
import io.flotilla.agent.model.ObjectRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits rendered objects into a release's ordinary objects and its Helm hooks, and orders the hooks of each phase
 * as Helm 3 does ({@code pkg/action/hooks.go}): by {@code helm.sh/hook-weight} ascending, then by kind in Helm's
 * install order (unknown kinds last, alphabetically), then by name. Pure: no I/O.
 *
 * <p>Like Helm, an object whose {@code helm.sh/hook} names an event Helm does not know is neither a hook nor an
 * ordinary object: it is skipped. Unlike Helm, which silently takes an unparsable weight as 0, an invalid
 * {@code helm.sh/hook-weight} is an error naming the object.
 */
public final class HelmHooks {
    public static final String HOOK_ANNOTATION = "helm.sh/hook";
    public static final String WEIGHT_ANNOTATION = "helm.sh/hook-weight";
    public static final String DELETE_POLICY_ANNOTATION = "helm.sh/hook-delete-policy";

    /** Helm's {@code releaseutil.InstallOrder}. */
    public static final List<String> INSTALL_ORDER = List.of("PriorityClass", "Namespace", "NetworkPolicy",
            "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret",
            "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
            "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
            "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet",
            "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet",
            "Job", "CronJob", "IngressClass", "Ingress", "APIService");

    private static final Map<String, Integer> KIND_RANK = new HashMap<>();

    static {
        for (int i = 0; i < INSTALL_ORDER.size(); i++) {
            KIND_RANK.put(INSTALL_ORDER.get(i), i);
        }
    }

    /** The order of the hooks of one phase. */
    public static final Comparator<Hook> ORDER = Comparator.comparingInt(Hook::weight)
            .thenComparing(Hook::ref, HelmHooks::compareKinds)
            .thenComparing(h -> h.ref().name())
            .thenComparing(h -> h.ref().namespace());

    /** The events that run at some point Flotilla implements (install, upgrade, delete). */
    private static final Set<HookEvent> RUN = EnumSet.of(HookEvent.PRE_INSTALL, HookEvent.POST_INSTALL,
            HookEvent.PRE_UPGRADE, HookEvent.POST_UPGRADE, HookEvent.PRE_DELETE, HookEvent.POST_DELETE);

    /** What the apply is to the release: the first one, or one after another deploymentID was applied. */
    public enum Action {
        INSTALL(HookEvent.PRE_INSTALL, HookEvent.POST_INSTALL),
        UPGRADE(HookEvent.PRE_UPGRADE, HookEvent.POST_UPGRADE);

        private final HookEvent pre;
        private final HookEvent post;

        Action(HookEvent pre, HookEvent post) {
            this.pre = pre;
            this.post = post;
        }

        public HookEvent pre() {
            return pre;
        }

        public HookEvent post() {
            return post;
        }
    }

    private HelmHooks() {
    }

    /** True when the object carries {@code helm.sh/hook} (any value): Helm never applies it as a release object. */
    public static boolean isHook(Map<String, Object> object) {
        return Maps.get(object, "metadata", "annotations", HOOK_ANNOTATION) != null;
    }

    /** The objects that are not hooks, in their order. Never throws. */
    public static List<Map<String, Object>> releaseObjects(List<Map<String, Object>> objects) {
        return objects.stream().filter(o -> !isHook(o)).toList();
    }

    /**
     * Splits {@code objects} for {@code action}.
     *
     * @throws InvalidHookException when a hook that can run (install, upgrade or delete) has an invalid weight
     */
    public static HookPlan plan(List<Map<String, Object>> objects, Action action) {
        List<Map<String, Object>> release = new ArrayList<>();
        List<Hook> hooks = new ArrayList<>();
        List<ObjectRef> skipped = new ArrayList<>();
        for (Map<String, Object> object : objects) {
            if (!isHook(object)) {
                release.add(object);
                continue;
            }
            List<HookEvent> events = events(object);
            if (events == null || events.stream().noneMatch(RUN::contains)) {
                skipped.add(ObjectRef.of(object));
            } else {
                hooks.add(parse(object));
            }
        }
        return new HookPlan(release, phase(hooks, action.pre()), phase(hooks, action.post()),
                phase(hooks, HookEvent.PRE_DELETE), phase(hooks, HookEvent.POST_DELETE), skipped);
    }

    /**
     * The hook an object with {@code helm.sh/hook} describes; null when it names an unknown event (Helm skips such
     * an object altogether).
     *
     * @throws InvalidHookException when the weight is not an integer
     */
    public static Hook parse(Map<String, Object> object) {
        ObjectRef ref = ObjectRef.of(object);
        List<HookEvent> events = events(object);
        if (events == null) {
            return null;
        }
        Set<DeletePolicy> policies = EnumSet.noneOf(DeletePolicy.class);
        Object policyValue = Maps.get(object, "metadata", "annotations", DELETE_POLICY_ANNOTATION);
        boolean policyGiven = policyValue != null && !policyValue.toString().isBlank();
        if (policyGiven) {
            // Helm keeps unknown policies (they never match); a given but unknown-only list means no policy at all.
            for (String entry : policyValue.toString().split(",")) {
                DeletePolicy.parse(entry).ifPresent(policies::add);
            }
        } else {
            policies.add(DeletePolicy.BEFORE_HOOK_CREATION);
        }
        return new Hook(ref, object, events, weight(ref, object), policies);
    }

    /** The events {@code helm.sh/hook} names, null when one of them is unknown. */
    private static List<HookEvent> events(Map<String, Object> object) {
        List<HookEvent> events = new ArrayList<>();
        for (String entry : Maps.string(object, "metadata", "annotations", HOOK_ANNOTATION).split(",", -1)) {
            var event = HookEvent.parse(entry);
            if (event.isEmpty()) {
                return null;
            }
            if (!events.contains(event.get())) {
                events.add(event.get());
            }
        }
        return events;
    }

    private static int weight(ObjectRef ref, Map<String, Object> object) {
        Object value = Maps.get(object, "metadata", "annotations", WEIGHT_ANNOTATION);
        String text = value == null ? "" : value.toString().trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new InvalidHookException(ref, "invalid " + WEIGHT_ANNOTATION + " \"" + value + "\" on " + ref.id()
                    + ": not an integer");
        }
    }

    private static HookPhase phase(List<Hook> hooks, HookEvent event) {
        return new HookPhase(event, hooks.stream().filter(h -> h.runsAt(event)).sorted(ORDER).toList());
    }

    /** Helm's kind order: install order, unknown kinds after every known one and alphabetically among themselves. */
    static int compareKinds(ObjectRef a, ObjectRef b) {
        Integer first = KIND_RANK.get(a.kind());
        Integer second = KIND_RANK.get(b.kind());
        if (first == null && second == null) {
            return a.kind().compareTo(b.kind());
        }
        if (first == null) {
            return 1;
        }
        if (second == null) {
            return -1;
        }
        return Integer.compare(first, second);
    }
}

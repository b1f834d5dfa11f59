package io.flotilla.agent.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.agent.hooks.HelmHooks.Action;
import io.flotilla.agent.model.ObjectRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HelmHooksTest {

    private static Map<String, Object> object(String kind, String name, String... annotations) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", "ns");
        Map<String, Object> a = new LinkedHashMap<>();
        for (int i = 0; i < annotations.length; i += 2) {
            a.put(annotations[i], annotations[i + 1]);
        }
        if (!a.isEmpty()) {
            metadata.put("annotations", a);
        }
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", kind.equals("Job") ? "batch/v1" : "v1");
        object.put("kind", kind);
        object.put("metadata", metadata);
        return object;
    }

    private static Map<String, Object> hook(String kind, String name, String events, String... more) {
        String[] annotations = new String[more.length + 2];
        annotations[0] = HelmHooks.HOOK_ANNOTATION;
        annotations[1] = events;
        System.arraycopy(more, 0, annotations, 2, more.length);
        return object(kind, name, annotations);
    }

    /** Where one object ends up: "objects", "pre", "post", "pre-delete", "post-delete" or "skipped" (several: joined). */
    private static String placement(HookPlan plan, String name) {
        List<String> where = new ArrayList<>();
        if (plan.objects().stream().anyMatch(o -> ObjectRef.of(o).name().equals(name))) {
            where.add("objects");
        }
        if (plan.pre().hooks().stream().anyMatch(h -> h.ref().name().equals(name))) {
            where.add("pre");
        }
        if (plan.post().hooks().stream().anyMatch(h -> h.ref().name().equals(name))) {
            where.add("post");
        }
        if (plan.preDelete().hooks().stream().anyMatch(h -> h.ref().name().equals(name))) {
            where.add("pre-delete");
        }
        if (plan.postDelete().hooks().stream().anyMatch(h -> h.ref().name().equals(name))) {
            where.add("post-delete");
        }
        if (plan.skipped().stream().anyMatch(r -> r.name().equals(name))) {
            where.add("skipped");
        }
        return String.join("+", where);
    }

    static Stream<Arguments> placements() {
        return Stream.of(
                arguments("no annotation", object("ConfigMap", "x"), Action.INSTALL, "objects"),
                arguments("other annotations only", object("ConfigMap", "x", "helm.sh/resource-policy", "keep"),
                        Action.INSTALL, "objects"),
                arguments("pre-install on install", hook("Job", "x", "pre-install"), Action.INSTALL, "pre"),
                arguments("pre-install on upgrade", hook("Job", "x", "pre-install"), Action.UPGRADE, ""),
                arguments("pre-upgrade on upgrade", hook("Job", "x", "pre-upgrade"), Action.UPGRADE, "pre"),
                arguments("pre-upgrade on install", hook("Job", "x", "pre-upgrade"), Action.INSTALL, ""),
                arguments("post-install on install", hook("Job", "x", "post-install"), Action.INSTALL, "post"),
                arguments("post-upgrade on upgrade", hook("Job", "x", "post-upgrade"), Action.UPGRADE, "post"),
                arguments("post-upgrade on install", hook("Job", "x", "post-upgrade"), Action.INSTALL, ""),
                arguments("pre-install,pre-upgrade on install", hook("Job", "x", "pre-install,pre-upgrade"),
                        Action.INSTALL, "pre"),
                arguments("pre-install,pre-upgrade on upgrade", hook("Job", "x", "pre-install,pre-upgrade"),
                        Action.UPGRADE, "pre"),
                arguments("pre and post install", hook("Job", "x", "pre-install,post-install"), Action.INSTALL,
                        "pre+post"),
                arguments("spaces and capitals", hook("Job", "x", " Pre-Install , POST-upgrade "), Action.UPGRADE,
                        "post"),
                arguments("test", hook("Pod", "x", "test"), Action.INSTALL, "skipped"),
                arguments("test-success", hook("Pod", "x", "test-success"), Action.INSTALL, "skipped"),
                arguments("test-failure", hook("Pod", "x", "test-failure"), Action.UPGRADE, "skipped"),
                arguments("test and post-install", hook("Pod", "x", "test,post-install"), Action.INSTALL, "post"),
                arguments("pre-rollback", hook("Job", "x", "pre-rollback"), Action.UPGRADE, "skipped"),
                arguments("post-rollback", hook("Job", "x", "post-rollback"), Action.INSTALL, "skipped"),
                arguments("pre-delete kept for deletion", hook("Job", "x", "pre-delete"), Action.INSTALL,
                        "pre-delete"),
                arguments("post-delete kept for deletion", hook("Job", "x", "post-delete"), Action.UPGRADE,
                        "post-delete"),
                arguments("install and delete", hook("Job", "x", "post-install,pre-delete"), Action.INSTALL,
                        "post+pre-delete"),
                arguments("unknown event skips the object (as Helm)", hook("Job", "x", "pre-instal"), Action.INSTALL,
                        "skipped"),
                arguments("one unknown event among known ones", hook("Job", "x", "pre-install,crd-install"),
                        Action.INSTALL, "skipped"),
                arguments("empty hook annotation", hook("Job", "x", ""), Action.INSTALL, "skipped"),
                arguments("trailing comma", hook("Job", "x", "pre-install,"), Action.INSTALL, "skipped"),
                arguments("invalid weight on a test hook is no error", hook("Pod", "x", "test",
                        HelmHooks.WEIGHT_ANNOTATION, "soon"), Action.INSTALL, "skipped"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void placesEachObject(String description, Map<String, Object> object, Action action, String expected) {
        HookPlan plan = HelmHooks.plan(List.of(object, object("Service", "svc")), action);

        assertThat(placement(plan, "x")).isEqualTo(expected);
        assertThat(placement(plan, "svc")).isEqualTo("objects");
        assertThat(plan.pre().event()).isEqualTo(action.pre());
        assertThat(plan.post().event()).isEqualTo(action.post());
    }

    static Stream<Arguments> orders() {
        return Stream.of(
                arguments("weight ascending, negative first",
                        List.of(w("Job", "a", "5"), w("Job", "b", "-5"), w("Job", "c", "0")), List.of("b", "c", "a")),
                arguments("no weight is 0, empty weight is 0",
                        List.of(w("Job", "a", "1"), hook("Job", "b", "pre-install"), w("Job", "c", ""),
                                w("Job", "d", "-1")), List.of("d", "b", "c", "a")),
                arguments("weights compare as integers, not strings",
                        List.of(w("Job", "a", "10"), w("Job", "b", "9"), w("Job", "c", "-10"), w("Job", "d", "-9")),
                        List.of("c", "d", "b", "a")),
                arguments("plus sign, leading zeros and spaces",
                        List.of(w("Job", "a", "+3"), w("Job", "b", "007"), w("Job", "c", " 5 ")), List.of("a", "c", "b")),
                arguments("same weight: kind in Helm's install order",
                        List.of(w("Job", "a", "0"), w("Pod", "b", "0"), w("ConfigMap", "c", "0"),
                                w("ServiceAccount", "d", "0"), w("Secret", "e", "0")),
                        List.of("d", "e", "c", "b", "a")),
                arguments("same weight and kind: name",
                        List.of(w("Job", "zeta", "0"), w("Job", "alpha", "0"), w("Job", "mid", "0")),
                        List.of("alpha", "mid", "zeta")),
                arguments("unknown kinds last, alphabetically, then by name",
                        List.of(w("Widget", "a", "0"), w("Gadget", "b", "0"), w("Job", "c", "0"),
                                w("Gadget", "a", "0")), List.of("c", "a", "b", "a")),
                arguments("weight beats kind",
                        List.of(w("ConfigMap", "cfg", "1"), w("Job", "job", "0")), List.of("job", "cfg")),
                arguments("extreme weights",
                        List.of(w("Job", "a", "2147483647"), w("Job", "b", "-2147483648")), List.of("b", "a")));
    }

    private static Map<String, Object> w(String kind, String name, String weight) {
        return hook(kind, name, "pre-install", HelmHooks.WEIGHT_ANNOTATION, weight);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void ordersHooksAsHelm(String description, List<Map<String, Object>> hooks, List<String> expected) {
        HookPlan plan = HelmHooks.plan(hooks, Action.INSTALL);

        assertThat(plan.pre().hooks()).extracting(h -> h.ref().name()).containsExactlyElementsOf(expected);
        assertThat(plan.objects()).isEmpty();
    }

    static Stream<Arguments> deletePolicies() {
        return Stream.of(
                arguments("none given: before-hook-creation", null, Set.of(DeletePolicy.BEFORE_HOOK_CREATION)),
                arguments("blank: before-hook-creation", " ", Set.of(DeletePolicy.BEFORE_HOOK_CREATION)),
                arguments("hook-succeeded only", "hook-succeeded", Set.of(DeletePolicy.HOOK_SUCCEEDED)),
                arguments("hook-failed only", "hook-failed", Set.of(DeletePolicy.HOOK_FAILED)),
                arguments("several, spaces, capitals", " Before-Hook-Creation ,hook-succeeded, HOOK-FAILED",
                        Set.of(DeletePolicy.BEFORE_HOOK_CREATION, DeletePolicy.HOOK_SUCCEEDED, DeletePolicy.HOOK_FAILED)),
                arguments("unknown policy ignored", "hook-succeeded,whenever", Set.of(DeletePolicy.HOOK_SUCCEEDED)),
                arguments("only unknown policies: none (as Helm)", "whenever", Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deletePolicies")
    void readsDeletePolicies(String description, String annotation, Set<DeletePolicy> expected) {
        Map<String, Object> object = annotation == null ? hook("Job", "x", "post-install")
                : hook("Job", "x", "post-install", HelmHooks.DELETE_POLICY_ANNOTATION, annotation);

        Hook hook = HelmHooks.parse(object);

        assertThat(hook.deletePolicies()).isEqualTo(expected);
    }

    static Stream<Arguments> invalidWeights() {
        return Stream.of(arguments("abc"), arguments("1.5"), arguments("2147483648"), arguments("- 1"),
                arguments("0x10"), arguments("1e3"));
    }

    @ParameterizedTest(name = "weight \"{0}\"")
    @MethodSource("invalidWeights")
    void invalidWeightIsAnErrorNamingTheObject(String weight) {
        var objects = List.of(object("ConfigMap", "ordinary"),
                hook("Job", "migrate", "pre-upgrade", HelmHooks.WEIGHT_ANNOTATION, weight));

        assertThatThrownBy(() -> HelmHooks.plan(objects, Action.INSTALL))
                .isInstanceOfSatisfying(InvalidHookException.class, e -> {
                    assertThat(e.ref()).isEqualTo(new ObjectRef("batch/v1", "Job", "ns", "migrate"));
                    assertThat(e.getMessage()).isEqualTo("invalid helm.sh/hook-weight \"" + weight
                            + "\" on job.batch ns/migrate: not an integer");
                });
    }

    @Test
    void weightGivenAsANumberIsRead() {
        Map<String, Object> object = hook("Job", "x", "pre-install");
        @SuppressWarnings("unchecked")
        Map<String, Object> annotations = (Map<String, Object>) ((Map<String, Object>) object.get("metadata"))
                .get("annotations");
        annotations.put(HelmHooks.WEIGHT_ANNOTATION, -3);

        assertThat(HelmHooks.parse(object).weight()).isEqualTo(-3);
    }

    @Test
    void chartShapedReleaseSplitsIntoPhasesAndKeepsObjectOrder() {
        var objects = List.of(
                object("ServiceAccount", "app"),
                hook("Job", "migrate", "pre-install,pre-upgrade", HelmHooks.WEIGHT_ANNOTATION, "-5",
                        HelmHooks.DELETE_POLICY_ANNOTATION, "before-hook-creation,hook-succeeded"),
                hook("ConfigMap", "migrate-config", "pre-install", HelmHooks.WEIGHT_ANNOTATION, "0"),
                object("Service", "app"),
                hook("Job", "smoke", "post-install"),
                hook("Pod", "app-test", "test"),
                hook("Job", "cleanup", "pre-delete"),
                object("Deployment", "app"));

        HookPlan install = HelmHooks.plan(objects, Action.INSTALL);
        HookPlan upgrade = HelmHooks.plan(objects, Action.UPGRADE);

        assertThat(install.objects()).extracting(o -> ObjectRef.of(o).kind() + "/" + ObjectRef.of(o).name())
                .containsExactly("ServiceAccount/app", "Service/app", "Deployment/app");
        assertThat(install.pre().hooks()).extracting(Hook::toString)
                .containsExactly("job.batch ns/migrate", "configmap.v1 ns/migrate-config");
        assertThat(install.post().hooks()).extracting(Hook::toString).containsExactly("job.batch ns/smoke");
        assertThat(install.preDelete().hooks()).extracting(Hook::toString).containsExactly("job.batch ns/cleanup");
        assertThat(install.skipped()).extracting(ObjectRef::name).containsExactly("app-test");
        assertThat(install.pre().hooks().get(0).deletes(DeletePolicy.HOOK_SUCCEEDED)).isTrue();
        assertThat(upgrade.pre().hooks()).extracting(Hook::toString).containsExactly("job.batch ns/migrate");
        assertThat(upgrade.post().isEmpty()).isTrue();
        assertThat(HelmHooks.releaseObjects(objects)).isEqualTo(install.objects());
    }
}

package io.flotilla.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.agent.model.Json;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.agent.model.Ownership;
import io.flotilla.bundle.options.BundleDeploymentOptions.ComparePatch;
import io.flotilla.bundle.options.BundleDeploymentOptions.Operation;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@SuppressWarnings("unchecked")
class DriftDetectorTest {
    private static final String BD = "app";

    private static Map<String, Object> deployment(String ns, String name, int replicas) {
        return Json.readMap(("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'" + name + "','namespace':'"
                + ns + "'},'spec':{'replicas':" + replicas + ",'template':{'spec':{'containers':[{'name':'c',"
                + "'image':'nginx'}]}}}}").replace('\'', '"'));
    }

    private static Map<String, Object> configMap(String ns, String name, String value) {
        return Json.readMap(("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'" + name + "','namespace':'" + ns
                + "'},'data':{'k':'" + value + "'}}").replace('\'', '"'));
    }

    /** The object as the agent applied it, as a live object would hold it (plus server-side fields). */
    private static Map<String, Object> applied(Map<String, Object> desired) {
        Map<String, Object> live = Ownership.prepare(desired, BD);
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) live.get("metadata");
        metadata.put("uid", "u-1");
        metadata.put("resourceVersion", "7");
        live.put("status", Map.of("replicas", 1));
        return live;
    }

    @SuppressWarnings("unchecked")
    private static UnaryOperator<Map<String, Object>> edit(String key, Object value) {
        return live -> {
            Map<String, Object> copy = new LinkedHashMap<>(live);
            if (copy.get("data") instanceof Map<?, ?> data) {
                Map<String, Object> d = new LinkedHashMap<>((Map<String, Object>) data);
                d.put(key, value);
                copy.put("data", d);
            }
            return copy;
        };
    }

    static Stream<Arguments> cases() {
        var cm = configMap("ns", "cfg", "v");
        var web = deployment("ns", "web", 2);
        var ignoreReplicas = new ComparePatch("apps/v1", "Deployment", "web", "ns", List.of("/spec/replicas"), null);
        var removeReplicasByRegex = new ComparePatch(null, "Deployment", "w.*", null, null,
                List.of(new Operation("remove", "/spec/replicas", null)));
        var ignoreObject = new ComparePatch(null, null, null, "ns", null, List.of(new Operation("ignore", null, null)));
        return Stream.of(
                arguments("in sync", List.of(cm), Map.of(ref(cm), applied(cm)), List.of(), List.of(), List.of()),
                arguments("missing", List.of(cm), Map.of(), List.of(), List.of(), List.of("configmap.v1 ns/cfg missing")),
                arguments("exists but not ours", List.of(cm), Map.of(ref(cm), cm), List.of(), List.of(),
                        List.of("configmap.v1 ns/cfg is not owned by us")),
                arguments("owned by another BD", List.of(cm), Map.of(ref(cm), Ownership.prepare(cm, "other")), List.of(),
                        List.of(), List.of("configmap.v1 ns/cfg is not owned by us")),
                arguments("hand edit", List.of(cm), Map.of(ref(cm), edit("k", "x").apply(applied(cm))), List.of(), List.of(),
                        List.of("configmap.v1 ns/cfg modified {\"data\":{\"k\":\"v\"}}")),
                arguments("field added by someone else", List.of(cm), Map.of(ref(cm), edit("other", "x").apply(applied(cm))),
                        List.of(), List.of(), List.of()),
                arguments("no longer wanted, previously owned", List.of(), Map.of(ref(cm), applied(cm)), List.of(ref(cm)),
                        List.of(), List.of("configmap.v1 ns/cfg extra")),
                arguments("no longer wanted, never owned", List.of(), Map.of(ref(cm), applied(cm)), List.of(), List.of(),
                        List.of()),
                arguments("previously owned and gone", List.of(), Map.of(), List.of(ref(cm)), List.of(), List.of()),
                arguments("replicas scaled by hand", List.of(web), Map.of(ref(web), scaled(applied(web), 5)), List.of(),
                        List.of(), List.of("deployment.apps ns/web modified {\"spec\":{\"replicas\":2}}")),
                arguments("replicas excluded by jsonPointers", List.of(web), Map.of(ref(web), scaled(applied(web), 5)),
                        List.of(), List.of(ignoreReplicas), List.of()),
                arguments("replicas excluded by remove op with name regex", List.of(web),
                        Map.of(ref(web), scaled(applied(web), 5)), List.of(), List.of(removeReplicasByRegex), List.of()),
                arguments("ignore op drops a missing object", List.of(cm), Map.of(), List.of(), List.of(ignoreObject),
                        List.of()),
                arguments("sorted by apiVersion, kind, namespace, name",
                        List.of(configMap("b", "z", "v"), web, configMap("a", "y", "v"), configMap("a", "x", "v")),
                        Map.of(), List.of(), List.of(),
                        List.of("deployment.apps ns/web missing", "configmap.v1 a/x missing", "configmap.v1 a/y missing",
                                "configmap.v1 b/z missing")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> scaled(Map<String, Object> live, int replicas) {
        Map<String, Object> spec = new HashMap<>((Map<String, Object>) live.get("spec"));
        spec.put("replicas", replicas);
        Map<String, Object> copy = new HashMap<>(live);
        copy.put("spec", spec);
        return copy;
    }

    private static ObjectRef ref(Map<String, Object> object) {
        return ObjectRef.of(object);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void detects(String name, List<Map<String, Object>> desired, Map<ObjectRef, Map<String, Object>> live,
                 List<ObjectRef> previouslyOwned, List<ComparePatch> comparePatches, List<String> expected) {
        List<ModifiedEntry> entries = DriftDetector.detect(BD, desired, live, previouslyOwned,
                ComparePatches.of(comparePatches), MERGE);
        assertThat(entries).extracting(ModifiedEntry::toString).containsExactlyElementsOf(expected);
    }

    @Test
    void entriesCarryFleetFlags() {
        var cm = configMap("ns", "cfg", "v");
        assertThat(DriftDetector.detect(BD, List.of(cm), Map.of(ref(cm), cm), List.of(), ComparePatches.none(), MERGE))
                .containsExactly(new ModifiedEntry("ConfigMap", "v1", "ns", "cfg", true, true, false, ""));
        assertThat(DriftDetector.detect(BD, List.of(), Map.of(ref(cm), applied(cm)), List.of(ref(cm)),
                ComparePatches.none(), MERGE)).containsExactly(new ModifiedEntry("ConfigMap", "v1", "ns", "cfg", false, false,
                true, ""));
    }

    @Test
    void objectKnownInSyncIsNotComparedAtAll() {
        var cm = configMap("ns", "cfg", "v");
        Map<String, Object> live = edit("k", "x").apply(applied(cm));
        ApplyPreview inSync = (ref, prepared, current) -> current;
        assertThat(DriftDetector.detect(BD, List.of(cm), Map.of(ref(cm), live), List.of(), ComparePatches.none(), inSync))
                .isEmpty();
    }

    @Test
    void fieldTheApplyWouldRemoveIsDriftAndServerBookkeepingIsNot() {
        var cm = configMap("ns", "cfg", "v");
        Map<String, Object> live = edit("stale", "x").apply(applied(cm));
        ApplyPreview removesStale = (ref, prepared, current) -> {
            Map<String, Object> after = Json.readMap(Json.write(current));
            ((Map<?, ?>) after.get("data")).remove("stale");
            ((Map<String, Object>) after.get("metadata")).put("resourceVersion", "8");
            ((Map<String, Object>) after.get("metadata")).put("managedFields", List.of(Map.of("manager", "flotilla")));
            return after;
        };
        assertThat(DriftDetector.detect(BD, List.of(cm), Map.of(ref(cm), live), List.of(), ComparePatches.none(),
                removesStale)).extracting(ModifiedEntry::toString)
                .containsExactly("configmap.v1 ns/cfg modified {\"data\":{\"stale\":null}}");
    }

    /**
     * A model of server-side apply for these cases: the prepared object's maps merged into the live object, its
     * scalars and lists replacing the live ones (the real server merges keyed lists too; DeployerKubeIT shows it).
     */
    private static final ApplyPreview MERGE = (ref, prepared, live) -> merge(Json.readMap(Json.write(live)), prepared);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> existing) {
                into.put(k, merge((Map<String, Object>) existing, (Map<String, Object>) m));
            } else {
                into.put(k, Json.readMap(Json.write(Map.of("v", v))).get("v"));
            }
        });
        return into;
    }
}

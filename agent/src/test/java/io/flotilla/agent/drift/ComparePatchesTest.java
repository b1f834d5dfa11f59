package io.flotilla.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.agent.model.Json;
import io.flotilla.agent.model.ObjectRef;
import io.flotilla.bundle.options.BundleDeploymentOptions.ComparePatch;
import io.flotilla.bundle.options.BundleDeploymentOptions.Operation;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComparePatchesTest {

    @ParameterizedTest(name = "{0} {1} {2} {3} matches {4}/{5}/{6}/{7}: {8}")
    @CsvSource(nullValues = "-", value = {
            "apps/v1, Deployment, web, ns,  apps/v1, Deployment, ns, web, true",
            "-,       -,          -,   ns,  v1,      ConfigMap,  ns, cfg, true",
            "-,       -,          -,   ns,  v1,      ConfigMap,  other, cfg, false",
            "v1,      -,          -,   -,   apps/v1, Deployment, ns, web, false",
            "-,       Deployment, w.*, -,   apps/v1, Deployment, ns, web, true",
            "-,       Deployment, x.*, -,   apps/v1, Deployment, ns, web, false",
            "-,       Deployment, '[', -,   apps/v1, Deployment, ns, web, false",
            "-,       Service,    -,   -,   apps/v1, Deployment, ns, web, false"})
    void matchesObjects(String apiVersion, String kind, String name, String namespace,
                        String refApiVersion, String refKind, String refNamespace, String refName, boolean expected) {
        var patch = new ComparePatch(apiVersion, kind, name, namespace, null, null);
        assertThat(ComparePatches.matches(patch, new ObjectRef(refApiVersion, refKind, refNamespace, refName)))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "remove {0}")
    @CsvSource(delimiter = '|', value = {
            "/spec/replicas                  | {'spec':{'template':{'c':[{'n':1},{'n':2}]}},'metadata':{'annotations':{'a/b':'x','t~s':'y'}}}",
            "/spec/template/c/0              | {'spec':{'replicas':1,'template':{'c':[{'n':2}]}},'metadata':{'annotations':{'a/b':'x','t~s':'y'}}}",
            "/metadata/annotations/a~1b      | {'spec':{'replicas':1,'template':{'c':[{'n':1},{'n':2}]}},'metadata':{'annotations':{'t~s':'y'}}}",
            "/metadata/annotations/t~0s      | {'spec':{'replicas':1,'template':{'c':[{'n':1},{'n':2}]}},'metadata':{'annotations':{'a/b':'x'}}}",
            "/spec/absent/deeper             | {'spec':{'replicas':1,'template':{'c':[{'n':1},{'n':2}]}},'metadata':{'annotations':{'a/b':'x','t~s':'y'}}}",
            "/spec/template/c/9              | {'spec':{'replicas':1,'template':{'c':[{'n':1},{'n':2}]}},'metadata':{'annotations':{'a/b':'x','t~s':'y'}}}"})
    void stripsJsonPointers(String pointer, String expected) {
        var object = Json.readMap("{'spec':{'replicas':1,'template':{'c':[{'n':1},{'n':2}]}},'metadata':{'annotations':{'a/b':'x','t~s':'y'}}}"
                .replace('\'', '"'));
        var patches = ComparePatches.of(List.of(new ComparePatch(null, null, null, null, List.of(pointer), null)));
        assertThat(Json.write(patches.strip(new ObjectRef("v1", "X", "", "x"), object)))
                .isEqualTo(Json.write(Json.readMap(expected.replace('\'', '"'))));
    }

    @ParameterizedTest(name = "op {0} ignores: {1}")
    @CsvSource({"ignore, true", "remove, false"})
    void ignoreOperationExcludesTheObject(String op, boolean ignored) {
        var patches = ComparePatches.of(List.of(new ComparePatch(null, "ConfigMap", null, null, null,
                List.of(new Operation(op, "/data", null)))));
        assertThat(patches.ignores(new ObjectRef("v1", "ConfigMap", "ns", "c"))).isEqualTo(ignored);
        assertThat(patches.ignores(new ObjectRef("v1", "Secret", "ns", "c"))).isFalse();
    }
}

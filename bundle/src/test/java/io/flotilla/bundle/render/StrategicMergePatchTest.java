package io.flotilla.bundle.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrategicMergePatchTest {

    private static final ObjectMapper YAML = new YAMLMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "containers merge by name | {spec: {containers: [{name: a, image: a1, ports: [{containerPort: 80}]}, {name: b, image: b1}]}}"
                + " | {spec: {containers: [{name: a, image: a2}, {name: c, image: c1}]}}"
                + " | {spec: {containers: [{name: a, image: a2, ports: [{containerPort: 80}]}, {name: b, image: b1}, {name: c, image: c1}]}}",
        "env merges by name, $patch delete removes | {env: [{name: X, value: '1'}, {name: Y, value: '2'}]}"
                + " | {env: [{name: Y, $patch: delete}, {name: Z, value: '3'}, {name: X, value: '9'}]}"
                + " | {env: [{name: X, value: '9'}, {name: Z, value: '3'}]}",
        "container ports by containerPort | {ports: [{containerPort: 80, name: http}]} | {ports: [{containerPort: 80, protocol: TCP}, {containerPort: 443}]}"
                + " | {ports: [{containerPort: 80, name: http, protocol: TCP}, {containerPort: 443}]}",
        "service ports by port | {ports: [{port: 80, targetPort: 8080}]} | {ports: [{port: 80, nodePort: 30080}]}"
                + " | {ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}",
        "other lists are replaced | {args: [a, b], tolerations: [{key: k}]} | {args: [c], tolerations: [{key: j}]}"
                + " | {args: [c], tolerations: [{key: j}]}",
        "finalizers merge as a set | {finalizers: [a, b]} | {finalizers: [b, c]} | {finalizers: [a, b, c]}",
        "null removes, maps merge | {metadata: {labels: {a: '1', b: '2'}}} | {metadata: {labels: {a: null, c: '3'}}}"
                + " | {metadata: {labels: {b: '2', c: '3'}}}",
        "$patch replace replaces a map | {selector: {a: '1', b: '2'}} | {selector: {$patch: replace, c: '3'}} | {selector: {c: '3'}}",
    })
    void mergesLikeKubernetes(String name, String original, String patch, String expected) throws Exception {
        Object result = StrategicMergePatch.apply(YAML.readValue(original, Object.class), YAML.readValue(patch, Object.class));

        assertThat(result).isEqualTo(YAML.readValue(expected, Object.class));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "v1, ConfigMap, true",
        "apps/v1, Deployment, true",
        "networking.k8s.io/v1, Ingress, true",
        "apiextensions.k8s.io/v1, CustomResourceDefinition, false",
        "cert-manager.io/v1, Certificate, false",
        "example.com/v1, Widget, false",
    })
    void appliesToBuiltInKindsOnly(String apiVersion, String kind, boolean strategic) {
        assertThat(StrategicMergePatch.appliesTo(Map.of("apiVersion", apiVersion, "kind", kind)))
                .isEqualTo(strategic);
    }
}

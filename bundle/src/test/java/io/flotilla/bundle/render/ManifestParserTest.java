package io.flotilla.bundle.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestParserTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                // file, content, expected message
                Arguments.of("list.yaml", "- a\n- b\n", "list.yaml:1: expected a Kubernetes object (a mapping), found a list"),
                Arguments.of("scalar.yaml", "kind: X\napiVersion: v1\n---\njust text\n",
                        "scalar.yaml:4: expected a Kubernetes object (a mapping), found a scalar"),
                Arguments.of("nokind.yaml", "apiVersion: v1\n", "nokind.yaml:1: not a Kubernetes object: \"kind\" is missing"),
                Arguments.of("noversion.yaml", "\n\nkind: ConfigMap\n",
                        "noversion.yaml:3: not a Kubernetes object: \"apiVersion\" is missing (kind ConfigMap)"),
                Arguments.of("dup.yaml", "kind: A\nkind: B\n", "dup.yaml:2: Duplicate field 'kind'"),
                Arguments.of("bad.json", "{\"kind\": \"A\",, }", "bad.json:1: Unexpected character (',' (code 44)):"
                        + " was expecting double-quote to start field name"),
                Arguments.of("tab.yaml", "kind: A\nmetadata:\n\tname: x\n", "tab.yaml:3: while scanning for the next token:"
                        + " found character '\\t(TAB)' that cannot start any token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void errorsNameFileAndLine(String file, String content, String message) {
        assertThatThrownBy(() -> ManifestParser.parseFile(file, content)).hasMessageStartingWith(message);
    }

    @Test
    void jsonFilesMayHoldSeveralObjectsAndLists() throws RenderException {
        var objects = ManifestParser.parseFile("x.json", """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}
                {"apiVersion": "v1", "kind": "ConfigMapList", "items": [
                  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}]}
                """);

        assertThat(objects).extracting(o -> o.kind() + "/" + o.name()).containsExactly("ConfigMap/a", "ConfigMap/b");
        assertThat(objects).extracting(ManifestObject::file).containsOnly("x.json");
    }

    @Test
    void renderedOutputAttributesObjectsToTheirTemplate() throws RenderException {
        var objects = ManifestParser.parseRendered("chart", """
                ---
                # Source: app/templates/a.yaml
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: a
                ---
                # Source: app/templates/b.yaml
                apiVersion: v1
                kind: Secret
                metadata:
                  name: b
                """);

        assertThat(objects).extracting(ManifestObject::file)
                .containsExactly("app/templates/a.yaml", "app/templates/b.yaml");
    }

    @Test
    void invalidRenderedOutputNamesTheTemplate() {
        assertThatThrownBy(() -> ManifestParser.parseRendered("chart", """
                ---
                # Source: app/templates/ok.yaml
                kind: A
                apiVersion: v1
                ---
                # Source: app/templates/broken.yaml
                kind: [unclosed
                """)).isInstanceOfSatisfying(RenderException.class, e -> {
                    assertThat(e.file()).isEqualTo("app/templates/broken.yaml");
                    assertThat(e.detail()).startsWith("rendered output is not valid YAML: ");
                });
    }
}

package io.flotilla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flotilla test -o yaml} prints a ConfigMap whose data values look like numbers, booleans or null with
 * quotes, so {@code kubectl apply -f -} (any YAML reader) still sees strings.
 */
class YamlOutputCliTest {
    @TempDir
    Path dir;

    @Test
    void numberLikeStringsInTestOutputStayStrings() throws Exception {
        Files.writeString(dir.resolve("configmap.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  a: "1"
                  hex: "0x1F"
                  exp: "1e3"
                  octal: "012"
                  yes: "yes"
                  on: "on"
                  flag: "true"
                  nothing: "null"
                  tilde: "~"
                  day: "2001-12-14"
                  "0x1F": key-looks-like-a-number
                  word: plain
                """);
        TargetCommandTest.Run run = TargetCommandTest.run("test", "-o", "yaml", dir.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("a: \"1\"", "word: plain");
        List<Object> docs = new ArrayList<>();
        new org.yaml.snakeyaml.Yaml().loadAll(run.out()).forEach(docs::add);
        Map<?, ?> configMap = docs.stream().filter(d -> d instanceof Map<?, ?> m && "ConfigMap".equals(m.get("kind")))
                .map(d -> (Map<?, ?>) d).findFirst().orElseThrow(() -> new AssertionError(run.out()));
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("a", "1");
        expected.put("hex", "0x1F");
        expected.put("exp", "1e3");
        expected.put("octal", "012");
        expected.put("yes", "yes");
        expected.put("on", "on");
        expected.put("flag", "true");
        expected.put("nothing", "null");
        expected.put("tilde", "~");
        expected.put("day", "2001-12-14");
        expected.put("0x1F", "key-looks-like-a-number");
        expected.put("word", "plain");
        assertThat((Map<?, ?>) configMap.get("data")).as(run.out()).isEqualTo(expected);
    }
}

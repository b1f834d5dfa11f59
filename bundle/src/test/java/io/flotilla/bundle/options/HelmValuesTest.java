package io.flotilla.bundle.options;

import static io.flotilla.bundle.options.OptionsMergeTest.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HelmValuesTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFilesCases")
    void valuesFilesAreDeepMergedOverInlineValuesInOrder(String rule, Map<String, Object> inline,
            List<Map<String, Object>> files, Map<String, Object> expected) {
        assertThat(HelmValues.mergeValuesFiles(inline, files)).isEqualTo(expected);
    }

    static Stream<Arguments> valuesFilesCases() {
        return Stream.of(
                arguments("no files: inline values unchanged", map("a", 1), List.of(), map("a", 1)),
                arguments("no files and no inline values: still none", null, List.of(), null),
                arguments("files override inline values", map("a", 1, "b", 2), List.of(map("a", 10)),
                        map("a", 10, "b", 2)),
                arguments("later files override earlier ones", map("a", 1),
                        List.of(map("a", 2, "c", 1), map("a", 3)), map("a", 3, "c", 1)),
                arguments("nested maps merge, lists replace", map("img", map("repo", "r", "tag", "1"), "l", List.of(1)),
                        List.of(map("img", map("tag", "2"), "l", List.of(2, 3))),
                        map("img", map("repo", "r", "tag", "2"), "l", List.of(2, 3))),
                arguments("files without inline values", null, List.of(map("a", 1)), map("a", 1)),
                arguments("null in a file overrides", map("a", 1), List.of(map("a", null)), map("a", null)));
    }

    @Test
    void resultIsImmutableAndInputsUntouched() {
        Map<String, Object> inline = map("a", map("x", 1));
        Map<String, Object> file = map("a", map("y", 2));

        Map<String, Object> merged = HelmValues.mergeValuesFiles(inline, List.of(file));

        assertThat(inline).isEqualTo(map("a", map("x", 1)));
        assertThat(file).isEqualTo(map("a", map("y", 2)));
        assertThat(merged).isEqualTo(map("a", map("x", 1, "y", 2)));
        assertThat(merged).isUnmodifiable();
    }
}

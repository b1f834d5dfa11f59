package io.flotilla.bundle.reader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoPathsTest {

    // Go's path/filepath Clean, Ext and Base on these inputs
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|.|''|.",
        ".|.|.|.",
        "./app/|app|''|app",
        "a//b/./c/..|a/b|.|..",
        "../x|../x|''|x",
        "/a/../..|/|.|..",
        "charts/app/values.yaml|charts/app/values.yaml|.yaml|values.yaml",
        "a.b/c|a.b/c|''|c",
        "dir/|dir|''|dir",
    })
    void likeGo(String path, String clean, String ext, String base) {
        assertThat(GoPaths.clean(path)).isEqualTo(clean);
        assertThat(GoPaths.ext(path)).isEqualTo(ext);
        assertThat(GoPaths.base(path)).isEqualTo(base);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"..|true", "../a|true", "/etc|true", "a/..b|false", "..a|false", ".|false"})
    void escapes(String cleaned, boolean escapes) {
        assertThat(GoPaths.escapes(cleaned)).isEqualTo(escapes);
    }
}

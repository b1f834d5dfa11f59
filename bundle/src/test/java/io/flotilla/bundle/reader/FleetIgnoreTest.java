package io.flotilla.bundle.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FleetIgnoreTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // file content (\n escaped as ;) | entry | directory? | ignored?
        "*.md|README.md|false|true",
        "*.md|README.txt|false|false",
        "secret.yaml|secret.yaml|false|true",
        "tmp/*|tmp|true|true",
        "tmp/*|tmp|false|false",
        "tmp/*|other|true|false",
        "tmp|tmp|true|true",
        "sub/x.yaml|x.yaml|false|false",
        "# x.yaml|x.yaml|false|false",
        "'x.yaml   '|x.yaml|false|true",
        "x.yaml;;y.yaml|y.yaml|false|true",
        "*.yaml;!keep.yaml|keep.yaml|false|true",
        "a/b/*|b|true|false",
        "x.yaml\r|x.yaml|false|true",
    })
    void matchesBaseNames(String content, String entry, boolean directory, boolean ignored) {
        FleetIgnore ignore = FleetIgnore.none().withFile(content.replace(';', '\n'), ".fleetignore");
        assertThat(ignore.ignores(entry, directory)).isEqualTo(ignored);
    }

    @Test
    void patternsAccumulateDownTheTree() {
        FleetIgnore top = FleetIgnore.none().withFile("*.md\n", ".fleetignore");
        FleetIgnore sub = top.withFile("b.yaml\n", "sub/.fleetignore");
        assertThat(top.ignores("b.yaml", false)).isFalse();
        assertThat(sub.ignores("b.yaml", false)).isTrue();
        assertThat(sub.ignores("README.md", false)).isTrue();
        assertThat(sub.patterns()).containsExactly("*.md", "b.yaml");
    }

    @Test
    void escapedTrailingBlankIsKept() {
        FleetIgnore ignore = FleetIgnore.none().withFile("a\\ \n", ".fleetignore");
        assertThat(ignore.patterns()).containsExactly("a\\ ");
        assertThat(ignore.ignores("a ", false)).isTrue();
    }

    @Test
    void malformedPatternNamesFileAndLine() {
        assertThatThrownBy(() -> FleetIgnore.none().withFile("ok.yaml\n[broken\n", "apps/.fleetignore"))
                .isInstanceOf(BundleReadException.class)
                .hasMessageContaining("apps/.fleetignore:2");
    }
}

package io.flotilla.bundle.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoPathMatchTest {

    // a subset of Go's path/filepath match_test.go table
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "abc|abc|true",
        "*|abc|true",
        "*c|abc|true",
        "a*|a|true",
        "a*|abc|true",
        "a*|ab/c|false",
        "a*/b|abc/b|true",
        "a*/b|a/c/b|false",
        "a*b*c*d*e*/f|axbxcxdxe/f|true",
        "a*b*c*d*e*/f|axbxcxdxexxx/f|true",
        "a*b*c*d*e*/f|axbxcxdxe/xxx/f|false",
        "a*b?c*x|abxbbxdbxebxczzx|true",
        "a*b?c*x|abxbbxdbxebxczzy|false",
        "ab[c]|abc|true",
        "ab[b-d]|abc|true",
        "ab[e-g]|abc|false",
        "ab[^c]|abc|false",
        "ab[^b-d]|abc|false",
        "ab[^e-g]|abc|true",
        "a\\*b|a*b|true",
        "a\\*b|ab|false",
        "a?b|a☺b|true",
        "a[^a]b|a☺b|true",
        "a???b|a☺b|false",
        "a[!a]b|a!b|true",
        "*.yaml|values.yaml|true",
        "*.yaml|.hidden.yaml|true",
        "!keep.yaml|keep.yaml|false",
        "!keep.yaml|!keep.yaml|true",
        "*x|xxx|true",
    })
    void matchesLikeGo(String pattern, String name, boolean expected) {
        assertThat(GoPathMatch.matches(pattern, name)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "[^", "[^bc", "a[", "ab[]", "a\\", "[a-", "[x-]", "[-x]", "*x["})
    void malformedPatternsThrow(String pattern) {
        assertThatThrownBy(() -> GoPathMatch.matches(pattern, "a"))
                .isInstanceOf(GoPathMatch.BadPatternException.class);
    }
}

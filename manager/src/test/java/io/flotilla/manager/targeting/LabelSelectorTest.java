package io.flotilla.manager.targeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.manager.targeting.LabelSelector.Expression;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {

    private static final Map<String, String> DEV = Map.of("env", "dev", "tier", "web", "flotilla.io/x", "1");

    static Stream<Arguments> objectSelectors() {
        return Stream.of(
                Arguments.of("empty selector matches all", null, null, DEV, true),
                Arguments.of("empty selector matches no labels", Map.of(), List.of(), Map.of(), true),
                Arguments.of("matchLabels equal", Map.of("env", "dev"), null, DEV, true),
                Arguments.of("matchLabels differ", Map.of("env", "prod"), null, DEV, false),
                Arguments.of("matchLabels missing key", Map.of("zone", "a"), null, DEV, false),
                Arguments.of("matchLabels all must hold", Map.of("env", "dev", "tier", "db"), null, DEV, false),
                Arguments.of("In hit", null, List.of(new Expression("tier", "In", List.of("db", "web"))), DEV, true),
                Arguments.of("In miss", null, List.of(new Expression("tier", "In", List.of("db"))), DEV, false),
                Arguments.of("In absent key", null, List.of(new Expression("zone", "In", List.of("a"))), DEV, false),
                Arguments.of("NotIn hit", null, List.of(new Expression("tier", "NotIn", List.of("web"))), DEV, false),
                Arguments.of("NotIn other", null, List.of(new Expression("tier", "NotIn", List.of("db"))), DEV, true),
                Arguments.of("NotIn absent key matches", null,
                        List.of(new Expression("zone", "NotIn", List.of("a"))), DEV, true),
                Arguments.of("Exists", null, List.of(new Expression("env", "Exists", null)), DEV, true),
                Arguments.of("Exists absent", null, List.of(new Expression("zone", "Exists", null)), DEV, false),
                Arguments.of("DoesNotExist absent matches", null,
                        List.of(new Expression("zone", "DoesNotExist", List.of())), DEV, true),
                Arguments.of("DoesNotExist present", null,
                        List.of(new Expression("env", "DoesNotExist", List.of())), DEV, false),
                Arguments.of("labels AND expressions", Map.of("env", "dev"),
                        List.of(new Expression("tier", "In", List.of("db"))), DEV, false),
                Arguments.of("prefixed key", Map.of("flotilla.io/x", "1"), null, DEV, true),
                Arguments.of("null labels behave as empty (NotIn)", null,
                        List.of(new Expression("env", "NotIn", List.of("dev"))), null, true),
                Arguments.of("null labels behave as empty (matchLabels)", Map.of("env", "dev"), null, null, false),
                Arguments.of("empty value label", Map.of("env", ""), null, Map.of("env", ""), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectSelectors")
    void matchesWithKubernetesSemantics(String name, Map<String, String> matchLabels, List<Expression> exprs,
            Map<String, String> labels, boolean expected) {
        assertThat(LabelSelector.of(matchLabels, exprs).matches(labels)).isEqualTo(expected);
    }

    static Stream<Arguments> invalidSelectors() {
        return Stream.of(
                Arguments.of(Map.of("-bad", "x"), null, "key \"-bad\": name part must consist"),
                Arguments.of(Map.of("a".repeat(64), "x"), null, "name part must be no more than 63 characters"),
                Arguments.of(Map.of("Foo.io/x", "v"), null, "key \"Foo.io/x\": prefix part a lowercase RFC 1123"),
                Arguments.of(Map.of("/x", "v"), null, "prefix part must be non-empty"),
                Arguments.of(Map.of("a/b/c", "v"), null, "a qualified name must consist"),
                Arguments.of(Map.of("env", "bad value"), null, "value \"bad value\": a valid label must be"),
                Arguments.of(Map.of("env", "v".repeat(64)), null, "must be no more than 63 characters"),
                Arguments.of(null, List.of(new Expression("env", "Equals", List.of("a"))),
                        "\"Equals\" is not a valid label selector operator"),
                Arguments.of(null, List.of(new Expression("env", "In", List.of())),
                        "key \"env\": operator In requires one or more values"),
                Arguments.of(null, List.of(new Expression("env", "Exists", List.of("a"))),
                        "operator Exists takes no values"),
                Arguments.of(null, List.of(new Expression("env", "", List.of("a"))), "operator must be set"),
                Arguments.of(null, List.of(new Expression("env", "NotIn", List.of("ok", "-no"))),
                        "value \"-no\""));
    }

    @ParameterizedTest
    @MethodSource("invalidSelectors")
    void rejectsInvalidSelectorsNamingTheCulprit(Map<String, String> matchLabels, List<Expression> exprs,
            String message) {
        assertThatThrownBy(() -> LabelSelector.of(matchLabels, exprs))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "[{0}] on {1} -> {2}")
    @CsvSource(delimiter = ';', value = {
        "'';env=dev;true",
        "env=dev;env=dev;true",
        "env==dev;env=dev;true",
        "env=prod;env=dev;false",
        "env!=prod;env=dev;true",
        "env!=dev;env=dev;false",
        "env!=dev;tier=web;true",
        "'env=dev,tier in (a,b)';env=dev,tier=b;true",
        "'env=dev,tier in (a,b)';env=dev,tier=c;false",
        "'tier notin (a, b)';tier=c;true",
        "'tier notin (a,b)';env=dev;true",
        "'!legacy';env=dev;true",
        "'!legacy';legacy=yes;false",
        "'legacy';legacy=yes;true",
        "' env = dev , !legacy ';env=dev;true",
        "env=;env=;true",
        "flotilla.io/cluster=a;flotilla.io/cluster=a;true",
    })
    void parsesStringForm(String selector, String labels, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(labelMap(labels))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "env=dev,;expected a key",
        "env in a;expected '('",
        "env in (a;expected ','",
        "env >< a;unknown operator",
        "env like a;unknown operator \"like\" after key \"env\"",
        "!;expected a key after '!'",
        "Bad_Prefix.IO/x=a;prefix part",
        "env=a b;expected ','",
    })
    void rejectsBadStringForm(String selector, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining(message);
    }

    @Test
    void compilesThePlainMapForm() {
        LabelSelector s = LabelSelector.fromMap(Map.of("matchLabels", Map.of("env", "dev"),
                "matchExpressions", List.of(Map.of("key", "tier", "operator", "In", "values", List.of("a", "b")),
                        Map.of("key", "legacy", "operator", "DoesNotExist"))));
        assertThat(s.toString()).isEqualTo("env=dev,!legacy,tier in (a,b)");
        assertThat(LabelSelector.fromMap(null).isEverything()).isTrue();
        assertThat(LabelSelector.fromMap(Map.of()).matches(Map.of())).isTrue();
    }

    static Stream<Arguments> badPlainMaps() {
        return Stream.of(
                Arguments.of(Map.of("matchLabel", Map.of()), "unknown field \"matchLabel\""),
                Arguments.of(Map.of("matchLabels", List.of("a")), "matchLabels must be a map"),
                Arguments.of(Map.of("matchLabels", Map.of("a", List.of("x"))), "matchLabels.a must be a string"),
                Arguments.of(Map.of("matchExpressions", Map.of()), "matchExpressions must be a list"),
                Arguments.of(Map.of("matchExpressions", List.of(Map.of("key", "a", "operator", "Exists",
                        "values", "x"))), "key \"a\": values must be a list"),
                Arguments.of(Map.of("matchExpressions", List.of(Map.of("key", "a"))),
                        "key \"a\": operator must be set"));
    }

    @ParameterizedTest
    @MethodSource("badPlainMaps")
    void rejectsMalformedPlainMaps(Map<String, Object> raw, String message) {
        assertThatThrownBy(() -> LabelSelector.fromMap(raw)).isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining(message);
    }

    @Test
    void stringFormRoundTripsSortedByKey() {
        LabelSelector s = LabelSelector.parse("tier in (b,a),env=dev,!legacy,zone,x notin (q)");
        assertThat(s.toString()).isEqualTo("env=dev,!legacy,tier in (a,b),x!=q,zone");
        assertThat(LabelSelector.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void emptyStringIsEverything() {
        assertThat(LabelSelector.parse("  ").isEverything()).isTrue();
        assertThat(LabelSelector.of(Map.of(), List.of())).isSameAs(LabelSelector.EVERYTHING);
    }

    private static Map<String, String> labelMap(String csv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String kv : csv.split(",")) {
            String[] parts = kv.split("=", -1);
            m.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        return m;
    }
}

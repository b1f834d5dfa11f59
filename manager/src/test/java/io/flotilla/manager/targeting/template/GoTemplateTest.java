package io.flotilla.manager.targeting.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoTemplateTest {

    private static final Map<String, Object> DATA = data();

    private static Map<String, Object> data() {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("env", "dev");
        labels.put("region", "eu-west");
        labels.put("empty", "");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("replicas", 3);
        values.put("ratio", 1.5);
        values.put("big", 1234567.0);
        values.put("tags", List.of("a", "b"));
        values.put("nested", Map.of("x", Map.of("y", "deep")));
        values.put("enabled", true);
        values.put("nothing", null);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ClusterName", "c1");
        d.put("ClusterNamespace", "fleet-default");
        d.put("ClusterLabels", labels);
        d.put("ClusterAnnotations", Map.of());
        d.put("ClusterValues", values);
        return d;
    }

    static Stream<Arguments> renders() {
        return Stream.of(
                Arguments.of("plain text", "no actions here", "no actions here"),
                Arguments.of("field", "name: ${ .ClusterName }", "name: c1"),
                Arguments.of("nested field", "${ .ClusterLabels.env }", "dev"),
                Arguments.of("deep field", "${ .ClusterValues.nested.x.y }", "deep"),
                Arguments.of("int value", "${ .ClusterValues.replicas }", "3"),
                Arguments.of("float value", "${ .ClusterValues.ratio }", "1.5"),
                Arguments.of("large float like Go %v", "${ .ClusterValues.big }", "1.234567e+06"),
                Arguments.of("list value", "${ .ClusterValues.tags }", "[a b]"),
                Arguments.of("map value", "${ .ClusterValues.nested }", "map[x:map[y:deep]]"),
                Arguments.of("null value", "${ .ClusterValues.nothing }", "<no value>"),
                Arguments.of("root variable", "${ $.ClusterName }", "c1"),
                Arguments.of("dollar-brace without space", "${.ClusterName}", "c1"),
                Arguments.of("pipeline upper", "${ .ClusterLabels.env | upper }", "DEV"),
                Arguments.of("chained pipeline", "${ .ClusterLabels.env | upper | quote }", "\"DEV\""),
                Arguments.of("default on empty", "${ .ClusterLabels.empty | default \"none\" }", "none"),
                Arguments.of("default on set", "${ .ClusterLabels.env | default \"none\" }", "dev"),
                Arguments.of("quote escapes", "${ quote \"a\\\"b\" }", "\"a\\\"b\""),
                Arguments.of("squote", "${ squote .ClusterName }", "'c1'"),
                Arguments.of("quote of int", "${ quote .ClusterValues.replicas }", "\"3\""),
                Arguments.of("lower and trim", "${ \"  MiXed  \" | trim | lower }", "mixed"),
                Arguments.of("index map", "${ index .ClusterLabels \"region\" }", "eu-west"),
                Arguments.of("index map missing is nil", "${ index .ClusterLabels \"nope\" }", "<no value>"),
                Arguments.of("index list", "${ index .ClusterValues.tags 1 }", "b"),
                Arguments.of("printf", "${ printf \"%s-%d-%v\" .ClusterName 7 .ClusterValues.enabled }",
                        "c1-7-true"),
                Arguments.of("printf missing arg", "${ printf \"%s %s\" \"a\" }", "a %!s(MISSING)"),
                Arguments.of("replace", "${ .ClusterLabels.region | replace \"-\" \"_\" }", "eu_west"),
                Arguments.of("hasKey", "${ hasKey .ClusterLabels \"env\" } ${ hasKey .ClusterLabels \"x\" }",
                        "true false"),
                Arguments.of("eq/ne", "${ eq .ClusterLabels.env \"dev\" } ${ ne .ClusterLabels.env \"dev\" }",
                        "true false"),
                Arguments.of("eq any of", "${ eq .ClusterLabels.env \"prod\" \"dev\" }", "true"),
                Arguments.of("eq numbers", "${ eq .ClusterValues.replicas 3 }", "true"),
                Arguments.of("not/and/or", "${ not false } ${ and 1 0 } ${ or 0 \"x\" } ${ and 1 2 }", "true 0 x 2"),
                Arguments.of("and short-circuits", "${ and false (required \"boom\" \"\") }", "false"),
                Arguments.of("if true", "${ if eq .ClusterLabels.env \"dev\" }D${ else }P${ end }", "D"),
                Arguments.of("if false", "${ if .ClusterLabels.empty }D${ else }E${ end }", "E"),
                Arguments.of("else if", "${ if eq .ClusterName \"x\" }X${ else if eq .ClusterName \"c1\" }C"
                        + "${ else }O${ end }", "C"),
                Arguments.of("with", "${ with .ClusterValues.nested.x }${ .y }${ end }", "deep"),
                Arguments.of("range list", "${ range .ClusterValues.tags }[${ . }]${ end }", "[a][b]"),
                Arguments.of("range map sorted with vars",
                        "${ range $k, $v := .ClusterLabels }${ $k }=${ $v };${ end }", "empty=;env=dev;region=eu-west;"),
                Arguments.of("range else", "${ range .ClusterAnnotations }x${ else }none${ end }", "none"),
                Arguments.of("variable", "${ $n := .ClusterName }${ $n }-${ $n }", "c1-c1"),
                Arguments.of("parenthesised", "${ (index .ClusterValues \"nested\").x.y }", "deep"),
                Arguments.of("trim markers", "a  ${- .ClusterName -}  b", "ac1b"),
                Arguments.of("comment", "a${/* ignored */}b", "ab"),
                Arguments.of("toJson", "${ toJson .ClusterValues.nested }", "{\"x\":{\"y\":\"deep\"}}"),
                Arguments.of("toJson escapes html", "${ toJson \"<a&b>\" }", "\"\\u003ca\\u0026b\\u003e\""),
                Arguments.of("toYaml", "${ toYaml .ClusterValues.tags }", "- a\n- b"),
                Arguments.of("toYaml map nindent", "x:${ toYaml .ClusterValues.nested | nindent 2 }",
                        "x:\n  x:\n    \"y\": deep"),
                Arguments.of("raw string", "${ `a\\nb` }", "a\\nb"),
                Arguments.of("number literals", "${ 0x10 } ${ -3 } ${ 2.50 }", "16 -3 2.5"),
                Arguments.of("len", "${ len .ClusterValues.tags } ${ len .ClusterName }", "2 2"),
                Arguments.of("print spacing", "${ print 1 2 \"a\" \"b\" }", "1 2ab"),
                Arguments.of("required passes value", "${ required \"need env\" .ClusterLabels.env }", "dev"),
                Arguments.of("comparisons", "${ lt 1 2 } ${ ge 2 2 } ${ gt \"b\" \"a\" }", "true true true"),
                Arguments.of("multi-line keeps text", "a: ${ .ClusterName }\nb: ${ .ClusterLabels.env }\n",
                        "a: c1\nb: dev\n"),
                Arguments.of("closing brace in string", "${ \"}\" }", "}"),
                Arguments.of("dollar without brace is text", "cost: $5 {x}", "cost: $5 {x}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void renders(String name, String template, String expected) {
        assertThat(GoTemplate.render("values", template, DATA)).isEqualTo(expected);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("missing key", "a\n${ .ClusterLabels.zone }",
                        "template: values:2: executing \"values\" at <.ClusterLabels.zone>: map has no entry for key "
                                + "\"zone\""),
                Arguments.of("missing top-level key", "${ .Nope }", "at <.Nope>: map has no entry for key \"Nope\""),
                Arguments.of("missing key before default still fails", "${ .ClusterLabels.zone | default \"x\" }",
                        "at <.ClusterLabels.zone>: map has no entry for key \"zone\""),
                Arguments.of("field of nil", "${ .ClusterValues.nothing.x }",
                        "nil pointer evaluating interface {}.x"),
                Arguments.of("field of string", "${ .ClusterName.x }", "can't evaluate field x in type string"),
                Arguments.of("unknown function", "${ frobnicate .ClusterName }",
                        "template: values:1: function \"frobnicate\" not defined"),
                Arguments.of("excluded sprig function env", "${ env \"HOME\" }", "function \"env\" not defined"),
                Arguments.of("required fails", "${ required \"env label needed\" .ClusterLabels.empty }",
                        "at <required \"env label needed\" .ClusterLabels.empty>: error calling required: env label "
                                + "needed"),
                Arguments.of("wrong type", "${ upper .ClusterValues.replicas }",
                        "error calling upper: wrong type for value; expected string; got int"),
                Arguments.of("unclosed action", "${ .ClusterName", "unclosed action"),
                Arguments.of("missing end", "${ if true }x", "missing end of if"),
                Arguments.of("stray end", "x${ end }", "unexpected ${end}"),
                Arguments.of("unsupported action", "${ template \"x\" }", "the \"template\" action is not supported"),
                Arguments.of("argument to non-function", "${ .ClusterName | .ClusterLabels }",
                        "can't give argument to non-function"),
                Arguments.of("index out of range", "${ index .ClusterValues.tags 5 }",
                        "error calling index: index out of range: 5"),
                Arguments.of("undefined variable", "${ $nope }", "undefined variable: $nope"),
                Arguments.of("empty action", "${ }", "missing value for command"),
                Arguments.of("unterminated string", "${ \"abc }", "unterminated quoted string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void failsNamingTheExpression(String name, String template, String message) {
        assertThatThrownBy(() -> GoTemplate.render("values", template, DATA))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining(message);
    }

    @Test
    void variablesAreScopedToTheirBlock() {
        assertThatThrownBy(() -> GoTemplate.render("t", "${ if true }${ $x := 1 }${ end }${ $x }", DATA))
                .hasMessageContaining("undefined variable: $x");
    }

    @Test
    void parsedTemplateIsReusable() {
        GoTemplate t = GoTemplate.parse("t", "${ .ClusterName }");
        assertThat(t.execute(Map.of("ClusterName", "a"))).isEqualTo("a");
        assertThat(t.execute(Map.of("ClusterName", "b"))).isEqualTo("b");
    }

    @Test
    void yamlDumpKeepsTemplatesPlainAndTypesQuoted() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("replicas", "${ .ClusterLabels.replicas }");
        values.put("text", "3");
        values.put("flag", "true");
        values.put("colon", "a: b");
        values.put("hash", "x #y");
        values.put("brace", "{a}");
        String yaml = Yaml.dump(values);
        assertThat(yaml).contains("replicas: ${ .ClusterLabels.replicas }").contains("text: \"3\"")
                .contains("flag: \"true\"");
        String rendered = GoTemplate.render("values", yaml, Map.of("ClusterLabels", Map.of("replicas", "5")));
        assertThat(Yaml.load(rendered)).isEqualTo(Map.of("replicas", 5, "text", "3", "flag", "true",
                "colon", "a: b", "hash", "x #y", "brace", "{a}"));
    }
}

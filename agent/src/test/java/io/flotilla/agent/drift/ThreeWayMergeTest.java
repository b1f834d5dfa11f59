package io.flotilla.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.agent.model.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ThreeWayMergeTest {

    /** name, last applied, desired, live, expected merge patch (JSON, single quotes). */
    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("nothing to do", "{'a':1}", "{'a':1}", "{'a':1}", "{}"),
                arguments("changed field", "{'a':1}", "{'a':2}", "{'a':1}", "{'a':2}"),
                arguments("new field", "{'a':1}", "{'a':1,'b':2}", "{'a':1}", "{'b':2}"),
                arguments("field removed from desired is deleted", "{'a':1,'b':2}", "{'a':1}", "{'a':1,'b':2}", "{'b':null}"),
                arguments("field removed and already gone", "{'a':1,'b':2}", "{'a':1}", "{'a':1}", "{}"),
                arguments("field others added is kept", "{'a':1}", "{'a':1}", "{'a':1,'theirs':3}", "{}"),
                arguments("field we set but live changed is restored", "{'a':1}", "{'a':1}", "{'a':5}", "{'a':1}"),
                arguments("nested maps patch only the difference", "{'m':{'x':1,'y':2}}", "{'m':{'x':1,'z':3}}",
                        "{'m':{'x':1,'y':2,'d':4}}", "{'m':{'y':null,'z':3}}"),
                arguments("list replaced when it differs", "{'l':[1,2]}", "{'l':[1,3]}", "{'l':[1,2]}", "{'l':[1,3]}"),
                arguments("list satisfied despite server defaults", "{}", "{'l':[{'name':'c','image':'i'}]}",
                        "{'l':[{'name':'c','image':'i','imagePullPolicy':'Always'}]}", "{}"),
                arguments("list with an extra element is replaced", "{}", "{'l':[{'n':1}]}", "{'l':[{'n':1},{'n':2}]}",
                        "{'l':[{'n':1}]}"),
                arguments("integer and long compare equal", "{}", "{'r':3}", "{'r':3.0}", "{}"),
                arguments("missing live map is set whole", "{}", "{'m':{'x':1}}", "{}", "{'m':{'x':1}}"),
                arguments("scalar replaced by map", "{}", "{'m':{'x':1}}", "{'m':'s'}", "{'m':{'x':1}}"),
                arguments("desired null deletes a live field", "{}", "{'a':null}", "{'a':1}", "{'a':null}"),
                arguments("first apply without last-applied keeps live-only fields", "{}", "{'a':1}", "{'a':1,'b':2}", "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void computesThreeWayMergePatch(String name, String lastApplied, String desired, String live, String expected) {
        var patch = ThreeWayMerge.patch(map(lastApplied), map(desired), map(live));
        assertThat(Json.write(patch)).isEqualTo(expected.replace('\'', '"'));
    }

    private static java.util.Map<String, Object> map(String json) {
        return Json.readMap(json.replace('\'', '"'));
    }
}

package io.flotilla.bundle.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Examples of RFC 6902, appendix A. */
class JsonPatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "{\"foo\":\"bar\"} | [{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}] | {\"baz\":\"qux\",\"foo\":\"bar\"}",
        "{\"foo\":[\"bar\",\"baz\"]} | [{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}] | {\"foo\":[\"bar\",\"qux\",\"baz\"]}",
        "{\"baz\":\"qux\",\"foo\":\"bar\"} | [{\"op\":\"remove\",\"path\":\"/baz\"}] | {\"foo\":\"bar\"}",
        "{\"foo\":[\"bar\",\"qux\",\"baz\"]} | [{\"op\":\"remove\",\"path\":\"/foo/1\"}] | {\"foo\":[\"bar\",\"baz\"]}",
        "{\"baz\":\"qux\",\"foo\":\"bar\"} | [{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}] | {\"baz\":\"boo\",\"foo\":\"bar\"}",
        "{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}} | [{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}] | {\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}",
        "{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]} | [{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}] | {\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}",
        "{\"foo\":\"bar\"} | [{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}] | {\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}",
        "{\"foo\":[\"bar\"]} | [{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}] | {\"foo\":[\"bar\",[\"abc\",\"def\"]]}",
        "{\"/\":9,\"~1\":10} | [{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}] | {\"/\":9,\"~1\":10}",
        "{\"foo\":1} | [{\"op\":\"copy\",\"from\":\"/foo\",\"path\":\"/bar\"}] | {\"foo\":1,\"bar\":1}",
        "{\"spec\":{\"replicas\":1}} | [{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}] | {\"spec\":{\"replicas\":3}}",
    })
    void appliesLikeRfc6902(String document, String patch, String expected) throws Exception {
        Object result = JsonPatch.apply(JSON.readValue(document, Object.class), JSON.readValue(patch, List.class));

        assertThat(result).isEqualTo(JSON.readValue(expected, Object.class));
    }

    @ParameterizedTest(name = "{1} fails: {2}")
    @CsvSource(delimiter = '|', value = {
        "{\"foo\":\"bar\"} | [{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}] | operation 0: path /baz does not exist",
        "{\"baz\":\"qux\"} | [{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}] | operation 0: test failed at /baz",
        "{\"foo\":[1]} | [{\"op\":\"remove\",\"path\":\"/foo/01\"}] | operation 0: invalid array index \"01\"",
        "{} | [{\"op\":\"frobnicate\",\"path\":\"/a\"}] | operation 0: unknown op \"frobnicate\"",
        "{} | [{\"op\":\"add\",\"path\":\"/a\"}] | operation 0: \"value\" is missing",
    })
    void rejectsInvalidPatches(String document, String patch, String message) throws Exception {
        Object doc = JSON.readValue(document, Object.class);
        List<?> ops = JSON.readValue(patch, List.class);

        assertThatThrownBy(() -> JsonPatch.apply(doc, ops)).hasMessage(message);
    }
}

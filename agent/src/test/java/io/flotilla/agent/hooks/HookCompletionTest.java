package io.flotilla.agent.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.agent.model.Json;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HookCompletionTest {

    private static Map<String, Object> json(String text) {
        return Json.readMap(text.replace('\'', '"'));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("job without status", "{'apiVersion':'batch/v1','kind':'Job'}", "RUNNING", ""),
                arguments("job running", "{'apiVersion':'batch/v1','kind':'Job','status':{'active':1}}", "RUNNING", ""),
                arguments("job complete", "{'apiVersion':'batch/v1','kind':'Job','status':{'conditions':"
                        + "[{'type':'Complete','status':'True'}]}}", "SUCCEEDED", ""),
                arguments("job complete false", "{'apiVersion':'batch/v1','kind':'Job','status':{'conditions':"
                        + "[{'type':'Complete','status':'False'}]}}", "RUNNING", ""),
                arguments("job failure target only (1.31+) is not failed yet", "{'apiVersion':'batch/v1','kind':'Job',"
                        + "'status':{'conditions':[{'type':'FailureTarget','status':'True'}]}}", "RUNNING", ""),
                arguments("job failed", "{'apiVersion':'batch/v1','kind':'Job','status':{'conditions':"
                        + "[{'type':'Failed','status':'True','reason':'BackoffLimitExceeded',"
                        + "'message':'Job has reached the specified backoff limit'}]}}", "FAILED",
                        "BackoffLimitExceeded: Job has reached the specified backoff limit"),
                arguments("job failed, reason only", "{'apiVersion':'batch/v1','kind':'Job','status':{'conditions':"
                        + "[{'type':'Failed','status':'True','reason':'DeadlineExceeded'}]}}", "FAILED",
                        "DeadlineExceeded"),
                arguments("job failed, nothing said", "{'apiVersion':'batch/v1','kind':'Job','status':{'conditions':"
                        + "[{'type':'Failed','status':'True'}]}}", "FAILED", "job failed"),
                arguments("pod pending", "{'apiVersion':'v1','kind':'Pod','status':{'phase':'Pending'}}", "RUNNING", ""),
                arguments("pod running", "{'apiVersion':'v1','kind':'Pod','status':{'phase':'Running'}}", "RUNNING", ""),
                arguments("pod succeeded", "{'apiVersion':'v1','kind':'Pod','status':{'phase':'Succeeded'}}",
                        "SUCCEEDED", ""),
                arguments("pod failed with exit code", "{'apiVersion':'v1','kind':'Pod','status':{'phase':'Failed',"
                        + "'containerStatuses':[{'name':'main','state':{'terminated':{'exitCode':3,"
                        + "'reason':'Error'}}}]}}", "FAILED", "container main exited with code 3 (Error)"),
                arguments("pod failed with reason", "{'apiVersion':'v1','kind':'Pod','status':{'phase':'Failed',"
                        + "'reason':'Evicted','message':'low on memory'}}", "FAILED", "Evicted: low on memory"),
                arguments("pod failed, nothing said", "{'apiVersion':'v1','kind':'Pod','status':{'phase':'Failed'}}",
                        "FAILED", "pod failed"),
                arguments("config map is done when it exists", "{'apiVersion':'v1','kind':'ConfigMap'}", "SUCCEEDED",
                        ""),
                arguments("a custom Job kind is not a batch Job", "{'apiVersion':'example.com/v1','kind':'Job'}",
                        "SUCCEEDED", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesLikeHelm(String description, String live, String state, String message) {
        HookCompletion completion = HookCompletion.of(json(live));

        assertThat(completion.state()).hasToString(state);
        assertThat(completion.message()).isEqualTo(message);
    }

    @org.junit.jupiter.api.Test
    void aHookThatDisappearedFailed() {
        assertThat(HookCompletion.of(null)).isEqualTo(HookCompletion.failed("deleted before it completed"));
    }
}

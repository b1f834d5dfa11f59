package io.flotilla.manager.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationTest {

    static Stream<Arguments> invalidObjects() {
        return Stream.of(
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"Bad_Name\"},\"spec\":{\"repo\":\"x\"}}", "metadata.name"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{},\"spec\":{\"repo\":\"x\"}}", "metadata.name"),
                Arguments.of(Kind.GIT_REPO, "{\"spec\":{\"repo\":\"x\"}}", "metadata"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{}}", "spec.repo"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"\"}}", "spec.repo"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"branche\":\"main\"}}", "spec.branche"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"paths\":\"a\"}}", "spec.paths"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"paths\":[1]}}", "spec.paths[0]"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"pollingInterval\":\"soon\"}}", "spec.pollingInterval"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"paused\":\"yes\"}}", "spec.paused"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"targets\":[{\"clusterNam\":\"a\"}]}}", "spec.targets[0].clusterNam"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"targets\":[{\"clusterSelector\":{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"Inn\",\"values\":[\"a\"]}]}}]}}", "spec.targets[0].clusterSelector.matchExpressions[0].operator"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"targets\":[{\"clusterSelector\":{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\"}]}}]}}", "spec.targets[0].clusterSelector.matchExpressions[0].values"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"targets\":[{\"clusterSelector\":{\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"Exists\",\"values\":[\"a\"]}]}}]}}", "spec.targets[0].clusterSelector.matchExpressions[0].values"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"targets\":[{\"clusterSelector\":{\"matchLabels\":{\"-bad\":\"a\"}}}]}}", "spec.targets[0].clusterSelector.matchLabels"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"targets\":[{\"clusterGroupSelector\":{\"matchLabels\":{\"a\":\"bad value\"}}}]}}", "spec.targets[0].clusterGroupSelector.matchLabels.a"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"targets\":[{\"clusterSelector\":{\"matchLabel\":{}}}]}}", "spec.targets[0].clusterSelector.matchLabel"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\",\"targetNamespace\":\"Not_A_Ns\"}}", "spec.targetNamespace"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\",\"labels\":{\"a/b/c\":\"x\"}},\"spec\":{\"repo\":\"x\"}}", "metadata.labels"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\",\"nme\":\"x\"},\"spec\":{\"repo\":\"x\"}}", "metadata.nme"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\",\"namespace\":\"other\"},\"spec\":{\"repo\":\"x\"}}", "metadata.namespace"),
                Arguments.of(Kind.GIT_REPO, "{\"kind\":\"Cluster\",\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\"}}", "kind"),
                Arguments.of(Kind.GIT_REPO, "{\"apiVersion\":\"fleet.cattle.io/v1alpha1\",\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\"}}", "apiVersion"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"x\"},\"extra\":1}", "extra"),
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":[]}", "spec"),
                Arguments.of(Kind.CLUSTER_GROUP, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"selector\":{\"matchExpressions\":[{\"operator\":\"In\",\"values\":[\"a\"]}]}}}", "spec.selector.matchExpressions[0].key"),
                Arguments.of(Kind.CLUSTER_GROUP, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"selector\":\"env=dev\"}}", "spec.selector"),
                Arguments.of(Kind.CLUSTER_GROUP, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"selecter\":{}}}", "spec.selecter"),
                Arguments.of(Kind.CLUSTER, "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"templateValues\":[]}}", "spec.templateValues"),
                Arguments.of(Kind.CLUSTER, "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"paused\":1}}", "spec.paused"),
                Arguments.of(Kind.CLUSTER_REGISTRATION_TOKEN, "{\"metadata\":{\"name\":\"t\"},\"spec\":{\"ttl\":\"forever\"}}", "spec.ttl"));
    }

    @ParameterizedTest(name = "[{index}] {0} → {2}")
    @MethodSource("invalidObjects")
    void refusesInvalidObjectsNamingTheField(Kind kind, String json, String field) throws Exception {
        ObjectNode object = (ObjectNode) Json.MAPPER.readTree(json);
        assertThatThrownBy(() -> Validation.validate(object, kind, "fleet-default", null))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + ": ");
                });
    }

    static Stream<Arguments> validObjects() {
        return Stream.of(
                Arguments.of(Kind.GIT_REPO, "{\"metadata\":{\"name\":\"g\"},\"spec\":{\"repo\":\"https://example.invalid/r.git\"}}"),
                Arguments.of(Kind.GIT_REPO, "{\"apiVersion\":\"flotilla.io/v1alpha1\",\"kind\":\"GitRepo\",\"metadata\":{\"name\":\"g.v1\",\"labels\":{\"example.com/team\":\"a-b_c.d\",\"empty\":\"\"}},\"spec\":{\"repo\":\"x\",\"branch\":\"main\",\"paths\":[\"a\",\"charts/*\"],\"pollingInterval\":\"1m30s\",\"targets\":[{\"name\":\"dev\",\"clusterSelector\":{\"matchLabels\":{\"env\":\"dev\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"NotIn\",\"values\":[\"db\"]},{\"key\":\"legacy\",\"operator\":\"DoesNotExist\"}]}},{\"clusterSelector\":{}},{\"clusterGroup\":\"default\"}]}}"),
                Arguments.of(Kind.CLUSTER_GROUP, "{\"metadata\":{\"name\":\"default\"},\"spec\":{\"selector\":{}}}"),
                Arguments.of(Kind.CLUSTER_GROUP, "{\"metadata\":{\"name\":\"g\"},\"spec\":{}}"),
                Arguments.of(Kind.CLUSTER, "{\"metadata\":{\"name\":\"c\",\"labels\":{\"env\":\"dev\"}},\"spec\":{\"templateValues\":{\"a\":1}}}"),
                Arguments.of(Kind.CLUSTER_REGISTRATION_TOKEN, "{\"metadata\":{\"name\":\"t\"},\"spec\":{\"ttl\":\"1h\"}}"));
    }

    @ParameterizedTest
    @MethodSource("validObjects")
    void acceptsValidObjects(Kind kind, String json) throws Exception {
        ObjectNode object = (ObjectNode) Json.MAPPER.readTree(json);
        assertThatCode(() -> Validation.validate(object, kind, "fleet-default", null)).doesNotThrowAnyException();
    }

    static Stream<Arguments> durations() {
        return Stream.of(Arguments.of("15s", Duration.ofSeconds(15)), Arguments.of("1h30m", Duration.ofMinutes(90)),
                Arguments.of("500ms", Duration.ofMillis(500)), Arguments.of("1.5s", Duration.ofMillis(1500)),
                Arguments.of("2h", Duration.ofHours(2)));
    }

    @ParameterizedTest
    @MethodSource("durations")
    void parsesGoDurations(String text, Duration expected) {
        assertThat(Validation.parseDuration("f", text)).isEqualTo(expected);
    }
}

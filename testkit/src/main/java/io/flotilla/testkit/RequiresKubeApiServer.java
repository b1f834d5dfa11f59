package io.flotilla.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that start {@link KubeApiServer}s themselves ({@code @ExtendWith(RequiresKubeApiServer.class)}):
 * skipped, with the reason, where none can run.
 */
public final class RequiresKubeApiServer implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return KubeBinaries.unavailableReason().map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("a real kube-apiserver can run here"));
    }
}

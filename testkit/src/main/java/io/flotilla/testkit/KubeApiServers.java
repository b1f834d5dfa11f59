package io.flotilla.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension for the {@code *KubeIT} tier: starts {@code count} real API servers (one per downstream
 * cluster a test needs) before the test class and stops them after it. Where none can run (no {@code go} on the
 * PATH) the class is skipped with the reason.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final KubeApiServers KUBE = KubeApiServers.count(2);
 * ... KUBE.get(0).client() ...
 * </pre>
 */
public final class KubeApiServers implements BeforeAllCallback, AfterAllCallback, ExecutionCondition {
    private final int count;
    private final List<KubeApiServer> servers = new ArrayList<>();
    private Path root;

    private KubeApiServers(int count) {
        this.count = count;
    }

    public static KubeApiServers count(int count) {
        return new KubeApiServers(count);
    }

    public static KubeApiServers one() {
        return count(1);
    }

    public KubeApiServer get(int index) {
        return servers.get(index);
    }

    public KubeApiServer get() {
        return get(0);
    }

    public List<KubeApiServer> all() {
        return List.copyOf(servers);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return KubeBinaries.unavailableReason().map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("a real kube-apiserver can run here"));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        root = Files.createTempDirectory("kube-" + context.getRequiredTestClass().getSimpleName() + "-");
        try {
            for (int i = 0; i < count; i++) {
                Path dir = Files.createDirectories(root.resolve("c" + i));
                servers.add(KubeApiServer.start("kube-" + i, dir));
            }
        } catch (Exception e) {
            afterAll(context);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "kube-api-servers-stop"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll();
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private synchronized void stopAll() {
        servers.forEach(KubeApiServer::close);
    }
}

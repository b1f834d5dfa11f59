package io.flotilla.manager.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.ApiObjects;
import io.flotilla.manager.api.Kind;
import io.flotilla.manager.api.ObjectKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store's acceptance test: every write acknowledged before a {@code kill -9} is there after a restart,
 * a batch is present entirely or not at all, and the store keeps working. Each round starts a child JVM
 * ({@link CrashWriterMain}) on the same data directory and kills it hard while it writes.
 */
class MvStoreCrashSafetyIT {

    private static final int ACKS_BEFORE_KILL = 300;
    /** Per round, the least time to write before the kill: the longer ones outlast the store's 2 s retention. */
    private static final long[] MIN_WRITE_MILLIS = {0, 2_500, 4_000};
    private static final String END_OF_OUTPUT = "\u0000eof";

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void acknowledgedWritesSurviveKillMinus9() throws Exception {
        Set<String> acknowledged = new HashSet<>();
        for (int round = 0; round < MIN_WRITE_MILLIS.length; round++) {
            List<String> acks = writeUntilKilled("r" + round + "-", MIN_WRITE_MILLIS[round]);
            assertThat(acks).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            acknowledged.addAll(acks);

            try (MvStoreStore store = MvStoreStore.open(dataDir)) {
                List<ObjectNode> stored = store.list(Kind.BUNDLE_DEPLOYMENT, null);
                Set<String> storedNames = stored.stream().map(ApiObjects::name).collect(Collectors.toSet());

                Set<String> lost = new HashSet<>(acknowledged);
                lost.removeAll(storedNames);
                assertThat(lost).as("acknowledged but lost").isEmpty();
                for (String name : acknowledged) {
                    ObjectNode object = store.get(new ObjectKey(Kind.BUNDLE_DEPLOYMENT, "cluster-ns", name))
                            .orElseThrow();
                    assertThat(object.path("spec").path("deploymentID").asText()).startsWith("content-");
                    assertThat(object.path("metadata").path("uid").asText()).isNotEmpty();
                }
                assertBatchesAreWholeOrAbsent(storedNames);

                long highest = stored.stream()
                        .mapToLong(o -> ApiObjects.resourceVersionNumber(ApiObjects.resourceVersion(o).orElseThrow()))
                        .max().orElseThrow();
                ObjectNode next = ApiObjects.newObject(Kind.BUNDLE_DEPLOYMENT, "cluster-ns", "after-round-" + round);
                next.putObject("spec").put("deploymentID", "content-after-round");
                ObjectNode fresh = store.create(next);
                assertThat(ApiObjects.resourceVersionNumber(ApiObjects.resourceVersion(fresh).orElseThrow()))
                        .isGreaterThan(highest);
                acknowledged.add("after-round-" + round);
            }
        }
    }

    /** Batch members are named {@code <round>b<step>-<i>}: all {@value CrashWriterMain#BATCH_SIZE} or none. */
    private static void assertBatchesAreWholeOrAbsent(Set<String> storedNames) {
        Map<String, Integer> membersByBatch = new HashMap<>();
        for (String name : storedNames) {
            int dash = name.lastIndexOf('-');
            if (name.substring(0, dash).matches("r\\d+-b\\d+")) {
                membersByBatch.merge(name.substring(0, dash), 1, Integer::sum);
            }
        }
        assertThat(membersByBatch).isNotEmpty();
        assertThat(membersByBatch.values()).containsOnly(CrashWriterMain.BATCH_SIZE);
    }

    /**
     * Runs the writer until it has acknowledged enough and written long enough, kills it hard, and returns all
     * its acknowledgements.
     */
    private List<String> writeUntilKilled(String prefix, long minWriteMillis) throws Exception {
        Path stderr = Files.createTempFile(dataDir.getParent(), "crash-writer", ".err");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), dataDir.toString(), prefix)
                .redirectError(stderr.toFile())
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readLines(child, lines), "crash-writer-stdout");
        reader.setDaemon(true);
        reader.start();
        List<String> acks = new ArrayList<>();
        long killAfter = 0;
        try {
            while (acks.size() < ACKS_BEFORE_KILL || System.nanoTime() < killAfter) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                assertThat(line).as("writer output; stderr: %s", stderr).isNotNull().isNotEqualTo(END_OF_OUTPUT);
                if (line.equals("OPEN")) {
                    killAfter = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(minWriteMillis);
                }
                collectAck(line, acks);
            }
            assertThat(child.isAlive()).as("the writer is still writing when killed").isTrue();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("writer exited after the kill").isTrue();
        }
        // acknowledgements printed between our count and the kill count too
        for (String line = lines.poll(30, TimeUnit.SECONDS); line != null && !line.equals(END_OF_OUTPUT);
             line = lines.poll(30, TimeUnit.SECONDS)) {
            collectAck(line, acks);
        }
        Files.deleteIfExists(stderr);
        return acks;
    }

    private static void collectAck(String line, List<String> acks) {
        if (line.startsWith("ACK ")) {
            acks.add(line.substring(4));
        }
    }

    private static void readLines(Process child, BlockingQueue<String> lines) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lines.add(END_OF_OUTPUT);
        }
    }
}

package io.flotilla.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One agent launched as production launches it: {@code bin/flotilla agent ...} (the launcher {@code exec}s the
 * JVM, so the child's pid is the agent JVM's). Reads its footprint from {@code /proc} and {@code jstat} (perf
 * data: nothing runs in the agent), and, after a measurement, thread names and heap details with {@code jcmd}.
 */
final class AgentProcess implements AutoCloseable {
    /** One {@code /proc} reading: resident set, thread count and CPU ticks (user + system) so far. */
    record ProcSample(long atMillis, long rssKib, long rssAnonKib, long rssFileKib, int threads, long cpuTicks) {
    }

    /** One {@code jstat -gc} reading, in KiB. */
    record HeapSample(long atMillis, double usedKib, double committedKib, double metaspaceUsedKib,
                      double classSpaceUsedKib, long youngGcs, long fullGcs) {
    }

    private final Process process;
    private final Path log;
    private final List<String> command;

    private AgentProcess(Process process, Path log, List<String> command) {
        this.process = process;
        this.log = log;
        this.command = command;
    }

    static AgentProcess launch(Path launcher, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // bench/run has just built cli/target: the launcher must not start a Maven build of its own.
        pb.environment().put("FLOTILLA_SKIP_BUILD", "1");
        return new AgentProcess(pb.start(), log, command);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    List<String> command() {
        return command;
    }

    /**
     * Waits until the launcher has {@code exec}ed the JVM (it may first archive the agent's classes); answers the
     * seconds that took.
     */
    double awaitJvm(int timeoutSeconds) throws IOException, InterruptedException {
        long start = System.nanoTime();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the agent exited at once: " + logTail(40));
            }
            List<String> cmd = jvmCommandLine();
            if (!cmd.isEmpty() && Path.of(cmd.get(0)).getFileName().toString().equals("java")) {
                return (System.nanoTime() - start) / 1e9;
            }
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
                throw new IllegalStateException("the launcher did not start the JVM within " + timeoutSeconds + " s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** The JVM's command line as the kernel has it (launcher options included). */
    List<String> jvmCommandLine() throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid()), "cmdline"));
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return args;
    }

    /** The JVM options of the command line (everything before {@code -cp}). */
    List<String> jvmOptions() throws IOException {
        List<String> all = jvmCommandLine();
        List<String> options = new ArrayList<>();
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i).equals("-cp") || all.get(i).equals("-classpath")) {
                break;
            }
            options.add(all.get(i));
        }
        return options;
    }

    ProcSample sample() throws IOException {
        long now = System.currentTimeMillis();
        long rss = 0;
        long anon = 0;
        long file = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            } else if (line.startsWith("RssAnon:")) {
                anon = Long.parseLong(line.substring(8).trim().split("\\s+")[0]);
            } else if (line.startsWith("RssFile:")) {
                file = Long.parseLong(line.substring(8).trim().split("\\s+")[0]);
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.substring(8).trim());
            }
        }
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
        // Fields after the command name (which may hold spaces) start with field 3 (state); utime and stime are 14, 15.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return new ProcSample(now, rss, anon, file, threads, ticks);
    }

    /** CPU ticks (user + system) so far per thread, by thread name (the kernel's 15-character comm). */
    Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    HeapSample heap() throws IOException, InterruptedException {
        long now = System.currentTimeMillis();
        String out = run(List.of(javaTool("jstat"), "-gc", String.valueOf(pid())), 30);
        String[] lines = out.trim().split("\n");
        if (lines.length < 2) {
            throw new IOException("jstat: " + out);
        }
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        Map<String, Double> v = new LinkedHashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            v.put(names[i], values[i].equals("-") ? 0.0 : Double.parseDouble(values[i]));
        }
        double used = v.getOrDefault("S0U", 0.0) + v.getOrDefault("S1U", 0.0) + v.getOrDefault("EU", 0.0)
                + v.getOrDefault("OU", 0.0);
        double committed = v.getOrDefault("S0C", 0.0) + v.getOrDefault("S1C", 0.0) + v.getOrDefault("EC", 0.0)
                + v.getOrDefault("OC", 0.0);
        return new HeapSample(now, used, committed, v.getOrDefault("MU", 0.0), v.getOrDefault("CCSU", 0.0),
                v.getOrDefault("YGC", 0.0).longValue(), v.getOrDefault("FGC", 0.0).longValue());
    }

    /** {@code jcmd <pid> <command...>} output (attaches to the agent: call it outside measurement windows). */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(javaTool("jcmd"), String.valueOf(pid())));
        c.addAll(List.of(command));
        return run(c, 60);
    }

    /** Thread names with trailing numbers folded ("vert.x-eventloop-thread-#"), and how many of each. */
    Map<String, Integer> threadGroups() throws IOException, InterruptedException {
        Map<String, Integer> groups = new TreeMap<>();
        for (String line : jcmd("Thread.print").split("\n")) {
            if (line.startsWith("\"")) {
                String name = line.substring(1, line.indexOf('"', 1));
                groups.merge(name.replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        return groups;
    }

    /**
     * Resident KiB by mapping from {@code /proc/<pid>/smaps} (file mappings by file name, anonymous ones as
     * {@code [anon]}), largest first: where the RSS is, without touching the JVM.
     */
    Map<String, Long> rssByMapping(int top) throws IOException {
        Map<String, Long> byName = new TreeMap<>();
        String current = "[anon]";
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "smaps"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[0].contains("-") && !f[0].endsWith(":")) {
                current = f.length >= 6 ? Path.of(f[5]).getFileName() == null ? f[5] : f[5].startsWith("[") ? f[5]
                        : Path.of(f[5]).getFileName().toString() : "[anon]";
            } else if (f[0].equals("Rss:")) {
                byName.merge(current, Long.parseLong(f[1]), Long::sum);
            }
        }
        Map<String, Long> largest = new LinkedHashMap<>();
        byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> largest.put(e.getKey(), e.getValue()));
        return largest;
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    static String javaTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** SIGTERM (the agent's shutdown hook closes its streams), then SIGKILL after 30 s; answers how it ended. */
    String stop() throws InterruptedException {
        if (!process.isAlive()) {
            return "had exited with " + process.exitValue();
        }
        long start = System.nanoTime();
        process.destroy();
        if (process.waitFor(30, TimeUnit.SECONDS)) {
            return "exited with " + process.exitValue() + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms after SIGTERM";
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return "killed: still running 30 s after SIGTERM";
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

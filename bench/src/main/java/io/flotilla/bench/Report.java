package io.flotilla.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * One experiment's JSON report (machine, JVM, commit, parameters, raw figures) and its summary lines
 * {@code BENCH <experiment> <metric>=<value><unit> budget=<value><unit> PASS|MISS}.
 */
final class Report {
    private final String experiment;
    private final ObjectNode root = Json.object();
    private final ObjectNode parameters;
    private final ArrayNode figures;
    private final ObjectNode raw;
    private boolean allPass = true;

    Report(String experiment, String commit) {
        this.experiment = experiment;
        root.put("experiment", experiment);
        root.put("startedAt", Instant.now().toString());
        root.put("commit", commit);
        root.set("machine", machine());
        root.put("loadAverageAtStart", loadAverage());
        ObjectNode jvm = root.putObject("jvm");
        jvm.put("version", System.getProperty("java.vm.version"));
        jvm.put("vendor", System.getProperty("java.vm.vendor"));
        jvm.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        jvm.set("arguments", Json.MAPPER.valueToTree(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        parameters = root.putObject("parameters");
        figures = root.putArray("figures");
        raw = root.putObject("raw");
    }

    ObjectNode parameters() {
        return parameters;
    }

    ObjectNode raw() {
        return raw;
    }

    /** Records a figure checked against an upper budget and prints its BENCH line. */
    void figure(String metric, double value, double budget, String unit) {
        boolean pass = value <= budget;
        allPass &= pass;
        ObjectNode f = figures.addObject();
        f.put("metric", metric);
        f.put("value", value);
        f.put("budget", budget);
        f.put("unit", unit);
        f.put("pass", pass);
        System.out.printf(Locale.ROOT, "BENCH %s %s=%s%s budget=%s%s %s%n", experiment, metric, fmt(value), unit,
                fmt(budget), unit, pass ? "PASS" : "MISS");
    }

    /** Records a budgeted figure that could not be measured: a MISS, with the reason. */
    void missing(String metric, String why) {
        allPass = false;
        ObjectNode f = figures.addObject();
        f.put("metric", metric);
        f.putNull("value");
        f.put("pass", false);
        f.put("notMeasured", why);
        System.out.printf(Locale.ROOT, "BENCH %s %s=not-measured (%s) MISS%n", experiment, metric, why);
    }

    /** Records a figure without a budget (context for the budgeted ones). */
    void info(String metric, double value, String unit) {
        ObjectNode f = figures.addObject();
        f.put("metric", metric);
        f.put("value", value);
        f.put("unit", unit);
        System.out.printf(Locale.ROOT, "BENCH %s %s=%s%s%n", experiment, metric, fmt(value), unit);
    }

    boolean allPass() {
        return allPass;
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        root.put("finishedAt", Instant.now().toString());
        Path file = dir.resolve(experiment + "-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        Files.writeString(dir.resolve(experiment + "-latest.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        return file;
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double[] sortedMillis(long[] nanos) {
        double[] ms = Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray();
        Arrays.sort(ms);
        return ms;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** The 1, 5 and 15 minute load averages: the machine is shared, so every report says how busy it was. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException notLinux) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static ObjectNode machine() {
        ObjectNode m = Json.object();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        try {
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
            Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal")).findFirst()
                    .ifPresent(l -> m.put("memory", l.substring(l.indexOf(':') + 1).trim()));
        } catch (IOException notLinux) {
            m.put("cpu", "unknown");
        }
        return m;
    }
}

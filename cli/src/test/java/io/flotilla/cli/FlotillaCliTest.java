package io.flotilla.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up path that models only the command asked for behaves as the whole tree does. */
class FlotillaCliTest {
    @Test
    void everyCommandHasALeanPathWithTheSameUsage() {
        Map<String, CommandLine> full = FlotillaCli.commandLine().getSubcommands();
        Set<String> lean = new TreeSet<>();
        for (String name : full.keySet()) {
            CommandLine one = FlotillaCli.commandLine(new String[]{name, "--help"});
            if (one.getSubcommands().size() == 1) {
                lean.add(name);
                assertThat(one.getSubcommands()).containsOnlyKeys(name);
                assertThat(one.getSubcommands().get(name).getUsageMessage()).as(name)
                        .isEqualTo(full.get(name).getUsageMessage());
            } else {
                assertThat(one.getSubcommands()).as(name + " gets the whole tree").hasSize(full.size());
            }
        }
        assertThat(lean).containsExactlyInAnyOrder("manager", "agent", "apply", "get", "delete", "token", "user-token",
                "cluster", "target", "status", "test", "events", "describe");
        assertThat(FlotillaCli.commandLine(new String[]{"--help"}).getSubcommands()).hasSize(full.size());
        assertThat(FlotillaCli.commandLine(new String[]{"help", "get"}).getSubcommands()).hasSize(full.size());
        assertThat(FlotillaCli.commandLine(new String[]{"gett"}).getSubcommands()).hasSize(full.size());
    }

    @Test
    void topLevelHelpAndVersionAreTheFullTrees() {
        assertThat(FlotillaCli.overview().getUsageMessage()).isEqualTo(FlotillaCli.commandLine().getUsageMessage())
                .contains("apply", "Create or update the objects", "test", "status");
        for (String[] args : new String[][]{{"--help"}, {"-h"}, {"--version"}, {}}) {
            java.io.StringWriter lean = new java.io.StringWriter();
            java.io.StringWriter full = new java.io.StringWriter();
            CommandLine l = FlotillaCli.commandLine(args);
            l.setOut(new java.io.PrintWriter(lean)).setErr(new java.io.PrintWriter(lean));
            CommandLine f = FlotillaCli.commandLine();
            f.setOut(new java.io.PrintWriter(full)).setErr(new java.io.PrintWriter(full));
            assertThat(l.execute(args)).isEqualTo(f.execute(args));
            assertThat(lean.toString()).as(String.join(" ", args)).isEqualTo(full.toString()).isNotEmpty();
        }
    }

    @Test
    void leanPathParsesAndReportsErrorsAsTheFullTree() {
        TargetCommandTest.Run run = TargetCommandTest.run("get");
        assertThat(run.code()).isEqualTo(2);
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine lean = FlotillaCli.commandLine(new String[]{"get"});
        lean.setErr(new java.io.PrintWriter(err));
        assertThat(lean.execute("get")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter", "Usage: flotilla get");
    }
}

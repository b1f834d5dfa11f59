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
                "cluster", "target", "status", "test");
        assertThat(FlotillaCli.commandLine(new String[]{"--help"}).getSubcommands()).hasSize(full.size());
        assertThat(FlotillaCli.commandLine(new String[]{"gett"}).getSubcommands()).hasSize(full.size());
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

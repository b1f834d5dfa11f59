package io.flotilla.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/flotilla}: one launcher for the manager, the agent and the admin commands. */
@Command(name = "flotilla", mixinStandardHelpOptions = true, version = "flotilla 0.1.0",
        description = "GitOps continuous delivery to fleets of Kubernetes clusters.",
        subcommands = {ManagerCommand.class, AgentCommand.class, ApplyCommand.class, GetCommand.class,
                DeleteCommand.class, TokenCommand.class, UserTokenCommand.class, ClusterCommand.class, TargetCommand.class, StatusCommand.class, TestCommand.class, CommandLine.HelpCommand.class})
public final class FlotillaCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || !ManagerCommand.keepsRunning() && !AgentCommand.keepsRunning()) {
            System.exit(code);
        }
    }

    public static CommandLine commandLine() {
        return new CommandLine(new FlotillaCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}

package io.flotilla.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/flotilla}: one launcher for the manager, the agent and the admin commands. */
@Command(name = "flotilla", mixinStandardHelpOptions = true, version = "flotilla 0.1.0",
        description = "GitOps continuous delivery to fleets of Kubernetes clusters.",
        subcommands = {ManagerCommand.class, AgentCommand.class, ApplyCommand.class, GetCommand.class,
                DeleteCommand.class, TokenCommand.class, UserTokenCommand.class, ClusterCommand.class, TargetCommand.class, StatusCommand.class, TestCommand.class, CommandLine.HelpCommand.class,
                picocli.AutoComplete.GenerateCompletion.class})
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
        return new CommandLine(new FlotillaCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(FlotillaCli::unexpected);
    }

    /**
     * The last line of defence: commands report bad input themselves, so an exception reaching here is a defect.
     * The user gets one line naming it and where it happened (no stack trace); {@code FLOTILLA_DEBUG=1} adds the trace.
     */
    static int unexpected(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        StackTraceElement where = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
        System.err.println("error: " + commandLine.getCommandName() + " failed unexpectedly: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + (where == null ? "" : " (at " + where.getClassName() + "." + where.getMethodName() + ":"
                        + where.getLineNumber() + ")")
                + "; this is a Flotilla bug, please report it with the input that caused it");
        if ("1".equals(System.getenv("FLOTILLA_DEBUG"))) {
            e.printStackTrace();
        }
        return 70; // EX_SOFTWARE
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}

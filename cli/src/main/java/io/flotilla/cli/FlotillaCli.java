package io.flotilla.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code bin/flotilla}: one launcher for the manager, the agent and the admin commands. */
@Command(name = "flotilla", mixinStandardHelpOptions = true, version = "flotilla 0.1.0",
        description = "GitOps continuous delivery to fleets of Kubernetes clusters.",
        subcommands = {ManagerCommand.class, AgentCommand.class, ApplyCommand.class, GetCommand.class,
                DeleteCommand.class, TokenCommand.class, UserTokenCommand.class, ClusterCommand.class, TargetCommand.class, StatusCommand.class, TestCommand.class, EventsCommand.class,
                DescribeCommand.class, CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class FlotillaCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The commands by name, for a start-up that models only the one asked for: picocli reads every command's options
     * (reflection over all their classes) when the whole tree is built, most of a short command's start-up.
     * {@code help}, {@code generate-completion}, {@code --help} and anything unknown get the whole tree.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = Map.ofEntries(
            Map.entry("manager", ManagerCommand::new), Map.entry("agent", AgentCommand::new),
            Map.entry("apply", ApplyCommand::new), Map.entry("get", GetCommand::new),
            Map.entry("delete", DeleteCommand::new), Map.entry("token", TokenCommand::new),
            Map.entry("user-token", UserTokenCommand::new), Map.entry("cluster", ClusterCommand::new),
            Map.entry("target", TargetCommand::new), Map.entry("status", StatusCommand::new),
            Map.entry("test", TestCommand::new), Map.entry("events", EventsCommand::new),
            Map.entry("describe", DescribeCommand::new));

    public static void main(String[] args) {
        int code = commandLine(args).execute(args);
        boolean server = args.length > 0 && (args[0].equals("manager") || args[0].equals("agent"));
        if (code != 0 || !server || !ManagerCommand.keepsRunning() && !AgentCommand.keepsRunning()) {
            System.exit(code);
        }
    }

    /** The whole command tree. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new FlotillaCli()));
    }

    /** What {@code args} needs: the top level with only the command named first, or the whole tree. */
    static CommandLine commandLine(String[] args) {
        if (args.length == 0 || args.length == 1 && List.of("-h", "--help", "-V", "--version").contains(args[0])) {
            return overview();
        }
        Supplier<Object> command = COMMANDS.get(args[0]);
        if (command == null) {
            return commandLine();
        }
        CommandLine top = new CommandLine(new Top());
        top.addSubcommand(args[0], command.get());
        return configure(top);
    }

    /**
     * The top level for its own usage: every command's name and description read from its annotation, without
     * modelling its options (what {@code flotilla --help} shows needs no more).
     */
    static CommandLine overview() {
        CommandLine top = new CommandLine(new Top());
        for (Class<?> c : FlotillaCli.class.getAnnotation(Command.class).subcommands()) {
            Command a = c.getAnnotation(Command.class);
            CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create().name(a.name()).aliases(a.aliases());
            spec.usageMessage().header(a.header()).description(a.description()).hidden(a.hidden());
            top.addSubcommand(a.name(), new CommandLine(spec));
        }
        return configure(top);
    }

    private static CommandLine configure(CommandLine commandLine) {
        return commandLine.setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler(FlotillaCli::unexpected);
    }

    /** {@code flotilla} without its subcommands (they are added one by one). */
    @Command(name = "flotilla", mixinStandardHelpOptions = true, version = "flotilla 0.1.0",
            description = "GitOps continuous delivery to fleets of Kubernetes clusters.")
    static final class Top implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
        }
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

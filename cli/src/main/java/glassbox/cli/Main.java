package glassbox.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./glassbox}: one sub-command per task. Every error is one line,
 * {@code glassbox <command>: <what and why>}; a mistyped command line adds one more line pointing at the help
 * instead of printing the whole usage ({@code GLASSBOX_DEBUG=1} adds the stack trace of other errors).
 */
@Command(name = "glassbox", mixinStandardHelpOptions = true, version = "glassbox 0.1.0",
        description = "A pure-Java CNN engine whose every weight, activation and gradient is open to inspection.",
        subcommands = {CommandLine.HelpCommand.class, DataCommand.class, TrainCommand.class, EvalCommand.class, ModelsCommand.class,
                ExportCommand.class, VizCommand.class, ExplainCommand.class, DemoCommand.class, BenchCommand.class, ServeCommand.class,
                InspectCommand.class, RobustnessCommand.class, ConfusionCommand.class, EmbedCommand.class, ReportCommand.class},
        footer = {"  test     Run the whole test suite (Maven; the launcher's own command: ./glassbox test).",
                "",
                "Run ./glassbox <command> --help for a command's options. Start with ./glassbox demo."})
public final class Main implements Runnable {
    /** Help width: wide enough that paths and option lists are not broken across lines. */
    static final int HELP_WIDTH = 110;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = Choices.register(new CommandLine(new Main()));
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // Users get the message, not a stack trace; GLASSBOX_DEBUG=1 shows the trace.
            if (System.getenv("GLASSBOX_DEBUG") != null) ex.printStackTrace();
            cmd.getErr().println(name(cmd) + ": " + message(ex));
            return 2;
        });
        cl.setParameterExceptionHandler((ex, params) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(name(cmd) + ": " + ex.getMessage());
            cmd.getErr().println("  (./" + name(cmd) + " --help lists every option)");
            return 2;
        });
        return cl.execute(args);
    }

    /** "glassbox viz stats": the command as typed. */
    static String name(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName(" ");
    }

    /** The message of {@code ex}, or its type when it has none. */
    static String message(Throwable ex) {
        return ex.getMessage() != null ? ex.getMessage() : ex.toString();
    }

    @Override
    public void run() {
        new CommandLine(this).setUsageHelpWidth(HELP_WIDTH).usage(System.out);
    }
}

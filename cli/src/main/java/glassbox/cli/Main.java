package glassbox.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./glassbox}: one sub-command per task. */
@Command(name = "glassbox", mixinStandardHelpOptions = true, version = "glassbox 0.1.0",
        description = "A pure-Java CNN engine whose every weight, activation and gradient is open to inspection.",
        subcommands = {CommandLine.HelpCommand.class, DataCommand.class, TrainCommand.class, EvalCommand.class,
                VizCommand.class, ExplainCommand.class, DemoCommand.class, BenchCommand.class, ServeCommand.class,
                InspectCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = Choices.register(new CommandLine(new Main()));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // Users get the message, not a stack trace; GLASSBOX_DEBUG=1 shows the trace.
            if (System.getenv("GLASSBOX_DEBUG") != null) ex.printStackTrace();
            cmd.getErr().println("glassbox " + cmd.getCommandName() + ": " + ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}

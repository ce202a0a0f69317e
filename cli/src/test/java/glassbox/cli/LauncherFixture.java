package glassbox.cli;

/**
 * A stand-in for the CLI that {@link LauncherTest} runs through {@code ./glassbox}: writes known lines to both
 * streams (one stderr piece without a newline, like a progress bar), then exits with code 7; with argument
 * {@code wait}, says "ready" and waits to be interrupted, saying "checkpoint kept" from a shutdown hook.
 */
public final class LauncherFixture {
    private LauncherFixture() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("out: " + String.join(" ", args));
        System.err.println("err: a line of its own");
        System.err.print("progress 50%\r");
        System.err.flush();
        if (args.length > 0 && args[0].equals("wait")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("hook: checkpoint kept")));
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(120_000);
        }
        System.exit(7);
    }
}

package glassbox.cli;

import glassbox.explorer.ExplorerServer;
import glassbox.explorer.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./glassbox serve [--model NAME|FILE ...]}: the interactive explorer in the browser, on this machine.
 * Without {@code --model} it offers every shipped model ({@link Gallery}); a shipped model is listed under its
 * name, a file under its file name.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the interactive explorer, a local web page for a model's predictions and maps.",
                "Draw a digit or pick a test image, see the prediction and every layer's activation maps,",
                "click a map for its kernels, explain the prediction, upload your own picture,",
                "train a model live and watch its curves, gradient statistics, diagnoses and kernels.",
                "Without --model, every shipped model (./glassbox models) is offered."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "NAME|FILE", description = "Model file(s) or shipped models' names to explore (repeatable). Default: every shipped model.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--port", defaultValue = "7070", paramLabel = "PORT", converter = Checked.Port.class,
            description = "Port to listen on, 0 to 65535 (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only); anything else lets other machines in.")
    String host;

    @Option(names = "--runs", defaultValue = "runs", paramLabel = "DIR",
            description = "Folder for models trained live in the page (with their checkpoints and run files). Default: ${DEFAULT-VALUE}.")
    Path runs;

    @Mixin
    DataOptionsMixin data;

    @Mixin
    ThreadsMixin threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        ModelRegistry registry = new ModelRegistry(data.options().withDownload(false));
        if (models.isEmpty()) {
            Gallery g = Gallery.find();
            if (g.entries().isEmpty()) {
                throw new IllegalArgumentException("no shipped models found in " + g.dir() + "; give --model FILE");
            }
            for (Gallery.Entry e : g.entries()) registry.add(e.name(), g.path(e));
        }
        for (Path p : models) {
            if (Files.isRegularFile(p)) registry.add(p);
            else registry.add(p.toString(), Gallery.resolve(p)); // a shipped model: listed under its name
        }
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            System.err.println("glassbox serve: warning: listening on " + host + ", so other machines can reach the explorer");
        }
        ExplorerServer server = new ExplorerServer(registry, runs);
        int bound = server.start(host, port);
        String shown = host.contains(":") ? "[" + host + "]" : host;
        System.out.println("Glassbox explorer: http://" + shown + ":" + bound + "/  (" + registry.all().size()
                + (registry.all().size() == 1 ? " model" : " models") + "; Ctrl-C stops it)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}

package glassbox.cli;

import glassbox.train.stats.Run;
import glassbox.train.stats.RunCsv;
import glassbox.train.stats.RunReader;
import glassbox.viz.render.JsonOut;
import glassbox.viz.training.TrainingCharts;
import glassbox.viz.training.TrainingView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox viz training --run FILE --out DIR}: the charts of a training run file (written by
 * {@code ./glassbox train}): curves, gradient norms, update:parameter ratios, dead units, per-layer histogram
 * heatmaps, with the diagnoses marked; plus {@code training.json} (every number) and the scalar series as CSV.
 */
@Command(name = "training", mixinStandardHelpOptions = true,
        description = {"Charts of a training run file: loss/accuracy/learning rate, gradient norms, update:parameter ratios,",
                "dead units, per-layer histograms over time; diagnoses marked where they start. Also JSON and CSV."})
final class VizTrainingCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "FILE", description = "Run file written by train (e.g. runs/lenet5.run.jsonl).")
    Path run;

    @Option(names = "--out", defaultValue = "out/training", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        return VizCommand.run(out, () -> {
            Run r = RunReader.read(run);
            for (String w : r.warnings()) System.err.println("warning: " + w);
            if (r.stats().isEmpty()) throw new IllegalArgumentException("run file " + run + " holds no statistics yet (nothing to draw)");
            System.out.printf("drawing %d stats records and %d epochs of %s%n", r.stats().size(), r.epochs().size(), run);
            TrainingView v = TrainingView.of(r);
            Files.createDirectories(out);
            List<Path> files = new ArrayList<>(TrainingCharts.render(v, out));
            Path json = out.resolve("training.json");
            JsonOut.write(v, json);
            files.add(json);
            files.addAll(RunCsv.write(r, out));
            if (r.diagnoses().isEmpty()) System.out.println("diagnoses: none");
            for (var d : r.diagnoses()) System.out.println("diagnosis: " + TrainCommand.describe(d));
            return files;
        });
    }
}

package glassbox.train.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;
import java.util.Map;

/**
 * One line of a run file. Every record is one JSON object on one line whose {@code "type"} names its kind:
 * <pre>
 *   header     first line: format name, version, the model's parameters and layers, the settings
 *   stats      every N steps: loss, learning rate, and a {@link Summary} of every parameter's value,
 *              gradient and update and of every layer's output
 *   epoch      after every epoch: train/test loss and accuracy, learning rate, wall time, images/s
 *   diagnosis  a problem found by the {@link Diagnoser}, with the step where it started
 *   resume     training continued from a checkpoint at this step: records after it replace those with a
 *              later step written before it
 *   end        training finished or diverged
 * </pre>
 * Steps count optimizer steps from 1 (the record of step s describes the s-th step).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RunRecord.Header.class, name = "header"),
        @JsonSubTypes.Type(value = RunRecord.Stats.class, name = "stats"),
        @JsonSubTypes.Type(value = RunRecord.Epoch.class, name = "epoch"),
        @JsonSubTypes.Type(value = RunRecord.Diagnosis.class, name = "diagnosis"),
        @JsonSubTypes.Type(value = RunRecord.Resume.class, name = "resume"),
        @JsonSubTypes.Type(value = RunRecord.End.class, name = "end")})
public sealed interface RunRecord {
    /** The value of {@link Header#format()}: how a reader knows the file is a run file. */
    String FORMAT = "glassbox-run";
    /** The layout version written by this build (readers accept this one and older). */
    int VERSION = 1;

    /**
     * First line of every run file.
     *
     * @param format     always {@value #FORMAT}
     * @param version    layout version
     * @param arch       architecture, e.g. "lenet5"
     * @param dataset    data set name, or "" if unknown
     * @param config     the training settings ("train.*" keys, as in model files)
     * @param statsEvery a stats record every this many steps (plus steps 1, 2, 4, 8, ... below it)
     * @param minExp     {@link Histogram#MIN_EXP} of the bins used
     * @param maxExp     {@link Histogram#MAX_EXP} of the bins used
     * @param params     the parameter tensors, in the order of every stats record's {@code params}
     * @param layers     the layers, in the order of every stats record's {@code layers}
     * @param started    wall-clock start, ISO-8601 (informational)
     */
    record Header(String format, int version, String arch, String dataset, Map<String, String> config,
                  int statsEvery, int minExp, int maxExp, List<ParamInfo> params, List<LayerInfo> layers,
                  String started) implements RunRecord {
    }

    /**
     * @param name   e.g. "conv1.weight"
     * @param layer  the layer it belongs to, e.g. "conv1"
     * @param shape  its shape
     * @param weight true for weights (decayed), false for biases and batch-norm scales and shifts
     */
    record ParamInfo(String name, String layer, int[] shape, boolean weight) {
    }

    /**
     * @param name  layer name
     * @param kind  its class, e.g. "Conv2d", "ReLU", "Sigmoid"
     * @param shape output shape of one sample
     */
    record LayerInfo(String name, String kind, int[] shape) {
    }

    /**
     * The statistics of step {@code step}.
     *
     * @param step     optimizer step (1-based)
     * @param epoch    epoch (1-based)
     * @param lr       learning rate used by this step
     * @param loss     loss of this step's batch
     * @param meanLoss mean batch loss over the steps since the previous stats record (this one included)
     * @param accuracy training accuracy over the same steps
     * @param params   one entry per {@link Header#params()}, same order
     * @param layers   one entry per {@link Header#layers()}, same order
     */
    record Stats(long step, int epoch, double lr, float loss, float meanLoss, float accuracy,
                 List<ParamStats> params, List<LayerStats> layers) implements RunRecord {
    }

    /**
     * One parameter at one step.
     *
     * @param value  its value before the step (the one the gradient was computed at)
     * @param grad   the gradient the step used, before clipping
     * @param update what the optimizer actually changed: value after minus value before (momentum, Adam's
     *               scaling and weight decay included)
     * @param ratio  ‖update‖ / ‖value‖, healthy near 1e-3; absent (null) while the value is all zero, as a
     *               bias is at the start
     */
    record ParamStats(Summary value, Summary grad, Summary update, @JsonInclude(JsonInclude.Include.NON_NULL) Float ratio) {
    }

    /**
     * One layer's output at one step.
     *
     * @param out       its statistics over the whole batch
     * @param dead      fraction of units (channels of an [N, C, H, W] output, features of [N, F]) that are
     *                  zero for every sample and position of the batch
     * @param saturated for Sigmoid and Tanh layers, the fraction of outputs within 1% of an asymptote
     *                  (sigmoid &lt; 0.01 or &gt; 0.99, |tanh| &gt; 0.99); absent for other layers
     */
    record LayerStats(Summary out, float dead, @JsonInclude(JsonInclude.Include.NON_NULL) Float saturated) {
    }

    /** End of epoch {@code epoch} (1-based) at step {@code step}. */
    record Epoch(int epoch, long step, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                 double lr, double seconds, double imagesPerSecond) implements RunRecord {
    }

    /**
     * A problem the {@link Diagnoser} found.
     *
     * @param problem what it is
     * @param subject the layer or parameter concerned, or "" for the whole run
     * @param step    the step where it started (the first record of the evidence)
     * @param seenAt  the step at which it was diagnosed
     * @param message the diagnosis in words
     */
    record Diagnosis(Problem problem, String subject, long step, long seenAt, String message) implements RunRecord {
    }

    /** Training continued from the checkpoint of epoch {@code epoch} (1-based count of finished epochs), step {@code step}. */
    record Resume(int epoch, long step, String started) implements RunRecord {
    }

    /**
     * @param status "finished" or "diverged"
     * @param step   last step taken
     * @param detail for a diverged run, the trainer's message
     */
    record End(String status, long step, String detail) implements RunRecord {
    }

    /** The problems the {@link Diagnoser} knows. */
    enum Problem {
        VANISHING_GRADIENTS("vanishing gradients"),
        EXPLODING_GRADIENTS("exploding gradients"),
        DEAD_RELUS("dead ReLUs"),
        SATURATED_UNITS("saturated units"),
        LR_TOO_HIGH("learning rate too high"),
        LR_TOO_LOW("learning rate too low"),
        LOSS_NOT_DECREASING("loss not decreasing");

        private final String words;

        Problem(String words) {
            this.words = words;
        }

        /** The name in words, e.g. "dead ReLUs". */
        public String words() {
            return words;
        }
    }
}

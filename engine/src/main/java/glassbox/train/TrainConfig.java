package glassbox.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of one training run. Everything that changes the resulting weights is here (and is stored in
 * checkpoints, so a resume with different settings is refused instead of silently mixing two runs).
 *
 * @param epochs       passes over the training set
 * @param batch        samples per mini-batch
 * @param lr           peak learning rate
 * @param optimizer    "sgd", "nesterov", "adam" or "adamw"
 * @param momentum     SGD momentum (ignored by Adam)
 * @param weightDecay  L2 (SGD, Adam) or decoupled (AdamW) weight decay, applied to weights only
 * @param schedule     "constant", "step", "cosine" or "onecycle" (see {@link glassbox.optim.LrSchedule})
 * @param warmupEpochs linear warm-up length in epochs (0 for none; may be fractional)
 * @param clipNorm     global gradient-norm limit, 0 for no clipping
 * @param augment      random crop (4-pixel padding) and horizontal flip
 * @param seed         seeds init, shuffling, augmentation and dropout
 * @param checkpoint   file written after every epoch (null: none)
 */
public record TrainConfig(int epochs, int batch, double lr, String optimizer, double momentum, double weightDecay,
                          String schedule, double warmupEpochs, double clipNorm, boolean augment, long seed,
                          Path checkpoint) {
    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
    }

    /** SGD with momentum 0.9, one-cycle, no decay, no augmentation: a sound default for MNIST-sized nets. */
    public static TrainConfig defaults(int epochs, int batch, double lr, long seed) {
        return new TrainConfig(epochs, batch, lr, "sgd", 0.9, 0, "onecycle", 0, 0, false, seed, null);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batch, lr, optimizer, momentum, weightDecay, schedule, warmupEpochs, clipNorm, augment, seed, checkpoint);
    }

    public TrainConfig withCheckpoint(Path p) {
        return new TrainConfig(epochs, batch, lr, optimizer, momentum, weightDecay, schedule, warmupEpochs, clipNorm, augment, seed, p);
    }

    public TrainConfig withOptimizer(String opt, double mom, double wd) {
        return new TrainConfig(epochs, batch, lr, opt, mom, wd, schedule, warmupEpochs, clipNorm, augment, seed, checkpoint);
    }

    public TrainConfig withSchedule(String s, double warmup) {
        return new TrainConfig(epochs, batch, lr, optimizer, momentum, weightDecay, s, warmup, clipNorm, augment, seed, checkpoint);
    }

    public TrainConfig withLr(double l) {
        return new TrainConfig(epochs, batch, l, optimizer, momentum, weightDecay, schedule, warmupEpochs, clipNorm, augment, seed, checkpoint);
    }

    public TrainConfig withAugment(boolean a) {
        return new TrainConfig(epochs, batch, lr, optimizer, momentum, weightDecay, schedule, warmupEpochs, clipNorm, a, seed, checkpoint);
    }

    public TrainConfig withClip(double c) {
        return new TrainConfig(epochs, batch, lr, optimizer, momentum, weightDecay, schedule, warmupEpochs, c, augment, seed, checkpoint);
    }

    /** The settings as "train.*" metadata entries for model files and checkpoints. */
    public Map<String, String> asMeta() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("train.epochs", Integer.toString(epochs));
        m.put("train.batch", Integer.toString(batch));
        m.put("train.lr", Double.toString(lr));
        m.put("train.optimizer", optimizer);
        m.put("train.momentum", Double.toString(momentum));
        m.put("train.weight_decay", Double.toString(weightDecay));
        m.put("train.schedule", schedule);
        m.put("train.warmup_epochs", Double.toString(warmupEpochs));
        m.put("train.clip_norm", Double.toString(clipNorm));
        m.put("train.augment", Boolean.toString(augment));
        m.put("train.seed", Long.toString(seed));
        return m;
    }
}

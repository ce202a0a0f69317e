package glassbox.bench;

import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.model.Zoo;
import glassbox.optim.SGD;
import glassbox.tensor.Tensor;

import java.util.Random;

/**
 * One whole-network workload, ready to run again and again: a zoo model, a batch of random data in memory,
 * and either a training step (zero gradients, forward, softmax cross-entropy, backward, SGD update) or an
 * inference pass (eval-mode forward). Shared by {@link Compare} and the JMH {@code StepBench} (benchmarks module).
 *
 * <p>Random data, not a data set: what is measured is the engine, not loading or augmentation. The same
 * networks, batch sizes and optimizer (SGD, momentum 0.9) are built by {@code benchmarks/scripts/bench_peer_pytorch.py}.
 * Leaves out data loading, learning-rate schedules and divergence checks (the trainer's own work, under 1%).
 */
public final class Step {
    /** Input shape [C, H, W] of each benchmarked architecture. */
    public static int[] inputShape(String arch) {
        return switch (arch) {
            case "lenet5" -> new int[]{1, 28, 28};
            case "smallvgg", "resnet20" -> new int[]{3, 32, 32};
            default -> throw new IllegalArgumentException("no benchmark input shape for '" + arch + "' (lenet5, smallvgg, resnet20)");
        };
    }

    private final Model model;
    private final Tensor x;     // [batch, C, H, W], standard normal
    private final int[] labels; // [batch], 0..9
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final SGD sgd;
    private final int batch;

    /** @param retain keep every layer's input, output and gradients after backward (Glassbox's default) */
    public Step(String arch, int batch, boolean retain) {
        int[] in = inputShape(arch);
        this.batch = batch;
        this.model = Zoo.build(arch, Zoo.options(in, 10), 1);
        this.model.setRetain(retain);
        this.model.setReuseBuffers(true); // as the trainer does: outputs and gradients written in place each step
        // Nobody reads dL/d(images) in training (PyTorch does not compute it either): the first conv skips it.
        this.model.layers().get(0).setComputeInputGradient(false);
        this.sgd = new SGD(model.params(), 0.01, 0.9, false, 0);
        Random r = new Random(7);
        float[] xd = new float[batch * in[0] * in[1] * in[2]];
        for (int i = 0; i < xd.length; i++) xd[i] = (float) r.nextGaussian();
        this.x = new Tensor(xd, batch, in[0], in[1], in[2]);
        this.labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = r.nextInt(10);
    }

    /** Forward + loss + backward + SGD update on the batch; returns the loss. */
    public float train() {
        model.zeroGrad();
        Tensor logits = model.forward(x, true);
        float l = loss.forward(logits, labels);
        model.backward(loss.backward());
        sgd.step();
        return l;
    }

    /** Eval-mode forward of the batch; returns the logits [batch, 10]. */
    public Tensor infer() {
        return model.forward(x, false);
    }

    public int batch() {
        return batch;
    }

    public Model model() {
        return model;
    }
}

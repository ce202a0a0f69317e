package glassbox.bench;

import glassbox.loss.Gradients;
import glassbox.model.Model;
import glassbox.model.Zoo;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.viz.gradients.GradCam;
import glassbox.viz.gradients.GuidedBackprop;
import glassbox.viz.gradients.IntegratedGradients;
import glassbox.viz.gradients.Saliency;
import glassbox.viz.gradients.SmoothGrad;
import glassbox.viz.gradients.Target;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The explanation workloads of {@code ExplainBench} (JMH, benchmarks module) and {@link ExplainCompare}: one CIFAR-10-sized image
 * (3x32x32, seeded noise) on resnet20 with its initial random weights (timings do not depend on the
 * weights), explaining class 3. Each method returns its map so the JIT cannot drop the work.
 */
final class Explain {
    static final List<String> WORKLOADS = List.of("saliency", "saliency-with-param-grads", "guided-backprop", "gradcam",
            "smoothgrad-50", "ig-50");
    final Model model = Zoo.build("resnet20", Zoo.options(new int[]{3, 32, 32}, 10), 1);
    final Tensor x;
    final Target target = new Target.ClassScore(3);
    final Normalization norm = new Normalization(new float[]{0.49f, 0.48f, 0.45f}, new float[]{0.25f, 0.24f, 0.26f});

    Explain() {
        SplittableRandom r = new SplittableRandom(1);
        float[] d = new float[3 * 32 * 32];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        x = Tensor.of(d, 1, 3, 32, 32);
    }

    /** Runs one workload by name; returns one number of its result. */
    float run(String name) {
        return switch (name) {
            case "saliency" -> Saliency.saliency(model, x, target, List.of()).map()[0];
            case "saliency-with-param-grads" -> { // the same backward, weight gradients computed as in training
                Tensor logits = model.forward(x, false);
                yield model.backward(Gradients.oneHot(logits.shape(), new int[]{3})).data()[0];
            }
            case "guided-backprop" -> GuidedBackprop.guided(model, x, target, List.of()).map()[0];
            case "gradcam" -> GradCam.compute(model, x, target, null, List.of()).cam()[0];
            case "smoothgrad-50" -> SmoothGrad.compute(model, x, target, 50, 0.15, 1, List.of()).attribution().map()[0];
            case "ig-50" -> IntegratedGradients.compute(model, x, target, IntegratedGradients.Baseline.BLACK, norm, 50,
                    IntegratedGradients.Rule.TRAPEZOID, List.of()).attribution().map()[0];
            default -> throw new IllegalArgumentException("no workload " + name + "; workloads: " + WORKLOADS);
        };
    }
}

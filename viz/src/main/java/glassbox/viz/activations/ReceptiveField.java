package glassbox.viz.activations;

import java.util.List;

/**
 * Which input pixels one unit of a layer can see, computed from the architecture alone.
 *
 * <p>Each layer on the path is a {@link Stage} (kernel k, stride s, padding p; a ReLU is (1, 1, 0)). With
 * {@code jump} the distance in input pixels between neighbouring units and {@code start} the input
 * coordinate of the first unit's window, going through one stage gives (Araujo, Norris &amp; Sim,
 * "Computing Receptive Fields of Convolutional Neural Networks", Distill 2019):
 * <pre>
 *   size'  = size + (k - 1) * jump
 *   start' = start - p * jump
 *   jump'  = jump * s
 * </pre>
 * so unit {@code i} of the last layer sees input rows {@code start + i*jump .. start + i*jump + size - 1}
 * (before clipping to the image; negative or too-large coordinates are zero padding). The same formula holds
 * for both axes since Glassbox kernels are square. Leaves out dilation, and the "effective" receptive field
 * (most of the weight sits near the centre, Luo et al. 2016).
 */
public record ReceptiveField(int size, int jump, int start) {
    /** One layer's geometry along one axis. */
    public record Stage(String name, int kernel, int stride, int padding) {
        public Stage {
            if (kernel < 1 || stride < 1 || padding < 0) {
                throw new IllegalArgumentException(name + ": bad geometry kernel " + kernel + " stride " + stride + " padding " + padding);
            }
        }

        /** A layer that keeps positions: activation, batch norm. */
        public static Stage identity(String name) {
            return new Stage(name, 1, 1, 0);
        }
    }

    /** The receptive field of a unit after all {@code stages}, in order. An empty list is the input pixel itself. */
    public static ReceptiveField of(List<Stage> stages) {
        ReceptiveField rf = new ReceptiveField(1, 1, 0);
        for (Stage s : stages) rf = rf.then(s);
        return rf;
    }

    /** The field after one more stage. */
    public ReceptiveField then(Stage s) {
        return new ReceptiveField(size + (s.kernel() - 1) * jump, jump * s.stride(), start - s.padding() * jump);
    }

    /** First input coordinate (unclipped) seen by unit {@code i}. */
    public int first(int i) {
        return start + i * jump;
    }

    /** Last input coordinate (unclipped, inclusive) seen by unit {@code i}. */
    public int last(int i) {
        return first(i) + size - 1;
    }
}

package glassbox.viz.gradients;

import glassbox.layers.Conv2d;
import glassbox.layers.Flatten;
import glassbox.layers.Linear;
import glassbox.layers.MaxPool2d;
import glassbox.layers.ReLU;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Init;
import glassbox.model.Model;
import glassbox.optim.SGD;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic task where the answer is decided by where a bright square is: 1x16x16 images of weak noise;
 * class 0 has no square, class 1 a bright 4x4 square in the left half, class 2 one in the right half. (With
 * only "left" and "right", the empty other half would be as good evidence as the square.) A small CNN
 * learns it in a second; a good explanation of classes 1 and 2 then points at the square.
 */
final class SquareTask {
    static final int SIDE = 16, SQUARE = 4;

    /** n images [n, 1, 16, 16], their labels and square corners (y, x; null for class 0). */
    record Data(Tensor x, int[] labels, int[][] corners) {
    }

    static Data make(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * SIDE * SIDE];
        int[] labels = new int[n];
        int[][] corners = new int[n][];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < SIDE * SIDE; k++) x[i * SIDE * SIDE + k] = (float) (0.1 * r.nextGaussian());
            labels[i] = r.nextInt(3);
            if (labels[i] == 0) continue;
            int cy = r.nextInt(SIDE - SQUARE + 1);
            int cx = labels[i] == 1 ? r.nextInt(SIDE / 2 - SQUARE + 1) : SIDE / 2 + r.nextInt(SIDE / 2 - SQUARE + 1);
            corners[i] = new int[]{cy, cx};
            for (int y = cy; y < cy + SQUARE; y++)
                for (int xx = cx; xx < cx + SQUARE; xx++) x[i * SIDE * SIDE + y * SIDE + xx] = 2f;
        }
        return new Data(Tensor.of(x, n, 1, SIDE, SIDE), labels, corners);
    }

    static Model model(long seed) {
        Model m = new Model("squares", new int[]{1, SIDE, SIDE}, List.of(
                new Conv2d("conv1", 1, 8, 3, 1, 1, true), new ReLU("relu1"), new MaxPool2d("pool1", 2, 2),
                new Conv2d("conv2", 8, 8, 3, 1, 1, true), new ReLU("relu2"),
                new Flatten("flat"), new Linear("fc", 8 * 8 * 8, 3)));
        for (Param p : m.params()) if (p.value().rank() >= 2) Init.he(p, seed);
        return m;
    }

    /** A model trained to (near) 100% on the task; cached, the tests only read it. */
    static synchronized Model trained() {
        if (trained == null) {
            Model m = model(3);
            Data d = make(512, 11);
            SGD opt = new SGD(m.params(), 0.05, 0.9, false, 0);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            int b = 32;
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int from = 0; from < 512; from += b) {
                    float[] xs = java.util.Arrays.copyOfRange(d.x().data(), from * SIDE * SIDE, (from + b) * SIDE * SIDE);
                    int[] ys = java.util.Arrays.copyOfRange(d.labels(), from, from + b);
                    m.zeroGrad();
                    loss.forward(m.forward(Tensor.of(xs, b, 1, SIDE, SIDE), true), ys);
                    m.backward(loss.backward());
                    opt.step();
                }
            }
            trained = m;
        }
        return trained;
    }

    private static Model trained;

    static boolean onSquare(int[] corner, int pixel, int margin) {
        int y = pixel / SIDE, x = pixel % SIDE;
        return y >= corner[0] - margin && y < corner[0] + SQUARE + margin && x >= corner[1] - margin && x < corner[1] + SQUARE + margin;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private SquareTask() {
    }
}

package glassbox.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small learnable image sets for training tests: each class is a fixed random pattern plus noise. */
public final class Synthetic {
    private Synthetic() {
    }

    public static ImageData make(int n, int classes, int c, int h, int w, long seed) {
        Random r = new Random(42); // the class patterns are the same for train and test sets
        int per = c * h * w;
        int[][] pattern = new int[classes][per];
        for (int[] p : pattern) for (int i = 0; i < per; i++) p[i] = r.nextInt(256);
        Random s = new Random(seed);
        byte[] px = new byte[n * per], labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int k = s.nextInt(classes);
            labels[i] = (byte) k;
            for (int j = 0; j < per; j++) {
                int v = pattern[k][j] + (int) (s.nextGaussian() * 60);
                px[i * per + j] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) names.add("class" + k);
        return new ImageData(c, h, w, px, labels, names);
    }
}

package glassbox.viz.robustness;

import java.util.List;

/**
 * Accuracy of one model as a perturbation grows: one attack over epsilon, or one corruption over
 * severity; overall and per class (the class x level table that shows which classes break first).
 *
 * @param model         the model's name (file name), for legends when several models share a chart
 * @param name          what was applied, e.g. "PGD-10 L-inf" or "rotate"
 * @param parameter     what the levels measure, e.g. "epsilon (pixel units, 0..1)" or "degrees"
 * @param levels        the levels [L], first one usually 0 (clean)
 * @param accuracy      accuracy at each level [L], 0..1
 * @param classAccuracy accuracy of each true class at each level [L][K]
 * @param classNames    class names [K]
 * @param images        how many images each level was measured on
 * @param cleanAccuracy accuracy on the unperturbed images
 */
public record Curve(String model, String name, String parameter, float[] levels, double[] accuracy,
                    double[][] classAccuracy, List<String> classNames, int images, double cleanAccuracy) {
    public Curve {
        classNames = List.copyOf(classNames);
    }

    /** Per-level accuracies from correct counts [L][K] and class sizes [K]. */
    static Curve of(String model, String name, String parameter, float[] levels, int[][] correct, int[] classCount,
                    List<String> classNames, int images, double cleanAccuracy) {
        double[] acc = new double[levels.length];
        double[][] cls = new double[levels.length][classCount.length];
        for (int l = 0; l < levels.length; l++) {
            int sum = 0;
            for (int k = 0; k < classCount.length; k++) {
                sum += correct[l][k];
                cls[l][k] = classCount[k] == 0 ? Double.NaN : (double) correct[l][k] / classCount[k];
            }
            acc[l] = images == 0 ? 0 : (double) sum / images;
        }
        return new Curve(model, name, parameter, levels, acc, cls, classNames, images, cleanAccuracy);
    }
}

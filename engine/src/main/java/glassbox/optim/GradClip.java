package glassbox.optim;

import glassbox.tensor.Param;

import java.util.List;

/**
 * Gradient clipping by global norm (Pascanu, Mikolov &amp; Bengio 2013, "On the difficulty of training
 * recurrent neural networks"): if the L2 norm of all gradients together exceeds {@code maxNorm}, every
 * gradient is scaled by {@code maxNorm / norm}, so the direction is kept and only the step shrinks.
 */
public final class GradClip {
    private GradClip() {
    }

    /** Global L2 norm of all gradients, summed in double in parameter order (deterministic). */
    public static double globalNorm(List<Param> params) {
        double s = 0;
        for (Param p : params) {
            for (float g : p.grad().data()) s += (double) g * g;
        }
        return Math.sqrt(s);
    }

    /** Scales gradients so their global norm is at most {@code maxNorm}; returns the norm before clipping. */
    public static double clip(List<Param> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        double norm = globalNorm(params);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Param p : params) {
                float[] g = p.grad().data();
                for (int j = 0; j < g.length; j++) g[j] *= scale;
            }
        }
        return norm;
    }
}

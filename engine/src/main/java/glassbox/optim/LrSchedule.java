package glassbox.optim;

/**
 * Learning rate as a function of the optimizer step (0-based). Pure functions of the step number, so
 * a resumed run gets exactly the rates an uninterrupted one would.
 *
 * <p>Shapes, for {@code n} total steps: {@link Constant} flat; {@link StepDecay} multiplied by
 * {@code gamma} every {@code every} steps; {@link Cosine} half a cosine from {@code lr} down to
 * {@code minLr} (Loshchilov &amp; Hutter 2017, "SGDR"); {@link OneCycle} up from {@code maxLr/div} to
 * {@code maxLr} over the first {@code pctStart} of training, then down to {@code maxLr/(div·finalDiv)},
 * both halves cosine-shaped (Smith &amp; Topin 2018, "Super-Convergence"; the same curve as PyTorch's
 * {@code OneCycleLR} with its defaults); {@link Warmup} ramps any schedule linearly over its first steps
 * (Goyal et al. 2017, "Accurate, Large Minibatch SGD"). Leaves out schedules that react to the
 * loss (reduce-on-plateau) and warm restarts.
 */
public sealed interface LrSchedule {
    /** Learning rate for step {@code step} (0-based). */
    double at(long step);

    /** The same rate at every step. */
    record Constant(double lr) implements LrSchedule {
        public double at(long step) {
            return lr;
        }
    }

    /** {@code lr · gamma^floor(step / every)}. */
    record StepDecay(double lr, long every, double gamma) implements LrSchedule {
        public StepDecay {
            if (every < 1) throw new IllegalArgumentException("step decay period must be >= 1 step, got " + every);
        }

        public double at(long step) {
            return lr * Math.pow(gamma, step / every);
        }
    }

    /** {@code minLr + (lr - minLr)·(1 + cos(π·step/total))/2}, flat at minLr after {@code total}. */
    record Cosine(double lr, long total, double minLr) implements LrSchedule {
        public double at(long step) {
            double t = Math.min(1.0, (double) step / Math.max(1, total));
            return minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * t));
        }
    }

    /** One cycle: warm up to {@code maxLr}, then anneal far below the start; cosine halves. */
    record OneCycle(double maxLr, long total, double pctStart, double div, double finalDiv) implements LrSchedule {
        public OneCycle(double maxLr, long total) {
            this(maxLr, total, 0.3, 25, 1e4);
        }

        public double at(long step) {
            double start = maxLr / div, end = start / finalDiv;
            double up = pctStart * total - 1; // step at which the peak is reached (as in PyTorch)
            double last = total - 1;
            if (step <= up) return cosine(start, maxLr, up <= 0 ? 1 : step / up);
            return cosine(maxLr, end, Math.min(1.0, (step - up) / Math.max(1e-9, last - up)));
        }

        /** From a (t = 0) to b (t = 1) along half a cosine. */
        private static double cosine(double a, double b, double t) {
            return b + (a - b) * 0.5 * (1 + Math.cos(Math.PI * t));
        }
    }

    /** Linear warm-up: {@code inner.at(step)·(step+1)/steps} for the first {@code steps} steps, then {@code inner}. */
    record Warmup(LrSchedule inner, long steps) implements LrSchedule {
        public double at(long step) {
            double r = inner.at(step);
            return step < steps ? r * (step + 1) / steps : r;
        }
    }

    /**
     * Builds a schedule by name: {@code constant}, {@code step} (×0.1 every third of training),
     * {@code cosine}, {@code onecycle}; {@code warmupSteps > 0} wraps it in a {@link Warmup}.
     */
    static LrSchedule named(String name, double lr, long totalSteps, long warmupSteps) {
        LrSchedule s = switch (name) {
            case "constant" -> new Constant(lr);
            case "step" -> new StepDecay(lr, Math.max(1, totalSteps / 3), 0.1);
            case "cosine" -> new Cosine(lr, totalSteps, 0);
            case "onecycle" -> new OneCycle(lr, totalSteps);
            default -> throw new IllegalArgumentException("unknown schedule '" + name + "'; choose constant, step, cosine or onecycle");
        };
        return warmupSteps > 0 ? new Warmup(s, warmupSteps) : s;
    }
}

package glassbox.optim;

import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of every optimizer: a fixed list of parameters, a learning rate set before each step, and
 * per-parameter state (momentum, moment estimates) that a checkpoint saves and restores.
 *
 * <p>One {@link #step()} reads each {@link Param#grad()} and updates {@link Param#value()} in place; it
 * does not zero the gradients (the trainer does, before the next backward, because gradients accumulate).
 * Weight decay applies only to parameters whose {@link Param#decay()} is true (weights, not biases or
 * batch-norm scales). Leaves out parameter groups and sparse gradients.
 */
public abstract class Optimizer {
    protected final List<Param> params;
    protected double lr;
    protected final double weightDecay;
    /** Number of steps taken so far (Adam's bias correction needs it; a checkpoint saves it). */
    protected long steps;

    protected Optimizer(List<Param> params, double lr, double weightDecay) {
        if (lr < 0 || weightDecay < 0) throw new IllegalArgumentException("lr and weight decay must be >= 0, got " + lr + ", " + weightDecay);
        this.params = List.copyOf(params);
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    /** Updates every parameter from its gradient, then counts the step. */
    public final void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) update(i, params.get(i));
    }

    /** Updates parameter number {@code i} (state arrays are indexed the same way). */
    protected abstract void update(int i, Param p);

    public double lr() {
        return lr;
    }

    /** Sets the learning rate for the next steps (a schedule calls this before each step). */
    public void setLr(double lr) {
        this.lr = lr;
    }

    public long steps() {
        return steps;
    }

    public void setSteps(long steps) {
        this.steps = steps;
    }

    public List<Param> params() {
        return params;
    }

    /** Short name for files and logs: "sgd", "adam", "adamw". */
    public abstract String name();

    /** Per-parameter state arrays by name ("momentum", "m", "v"); one array per parameter, same order. */
    protected abstract Map<String, float[][]> buffers();

    /** The state a checkpoint must save, as tensors named {@code <buffer>/<param name>}. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        buffers().forEach((buf, arrays) -> {
            for (int i = 0; i < params.size(); i++) {
                s.put(buf + "/" + params.get(i).name(), new Tensor(arrays[i], params.get(i).value().shape()));
            }
        });
        return s;
    }

    /** Restores what {@link #state()} returned (copied in); errors name the missing or misshapen entry. */
    public void loadState(Map<String, Tensor> state) {
        buffers().forEach((buf, arrays) -> {
            for (int i = 0; i < params.size(); i++) {
                String key = buf + "/" + params.get(i).name();
                Tensor t = state.get(key);
                if (t == null) throw new IllegalArgumentException(name() + " state has no entry " + key);
                if (t.size() != arrays[i].length) {
                    throw new IllegalArgumentException(name() + " state " + key + " has " + t.size() + " values, expected " + arrays[i].length);
                }
                System.arraycopy(t.data(), 0, arrays[i], 0, arrays[i].length);
            }
        });
    }

    /** One zero array per parameter, shaped like its value. */
    protected final float[][] zerosLikeParams() {
        float[][] a = new float[params.size()][];
        for (int i = 0; i < a.length; i++) a[i] = new float[params.get(i).value().size()];
        return a;
    }
}

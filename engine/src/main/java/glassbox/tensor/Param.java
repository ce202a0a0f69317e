package glassbox.tensor;

/**
 * A learnable parameter: its value and the gradient of the loss with respect to it, same shape.
 *
 * <p>Backward passes <em>accumulate</em> into {@link #grad()} ({@code +=}); the optimizer or the caller
 * zeroes it with {@link #zeroGrad()} before the next step. The name is the one used in model files and
 * in visualizations, e.g. {@code conv1.weight}.
 */
public final class Param {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    /** Whether weight decay applies (false for biases and batch-norm scales/shifts). */
    private final boolean decay;

    public Param(String name, Tensor value, boolean decay) {
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
        this.decay = decay;
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public boolean decay() {
        return decay;
    }

    public void zeroGrad() {
        grad.fill(0f);
    }

    @Override
    public String toString() {
        return name + value.shapeString();
    }
}

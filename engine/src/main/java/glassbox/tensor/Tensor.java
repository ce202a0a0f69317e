package glassbox.tensor;

import java.util.Arrays;

/**
 * A dense float tensor: one flat {@code float[]} plus a shape, row-major.
 *
 * <p>Images are NCHW: batch {@code n}, channel {@code c}, row {@code h}, column {@code w}. The one index
 * formula of the engine is {@link #index(int, int, int, int)}; everything else works on flat offsets.
 * A tensor may be a view: {@link #reshape} shares the array. Leaves out strides, broadcasting and dtypes:
 * layers do their own loops, which keeps the math visible.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    /** Wraps {@code data} (not copied) with {@code shape}; the sizes must agree. */
    public Tensor(float[] data, int... shape) {
        this.shape = shape.clone();
        int size = sizeOf(this.shape);
        if (data.length != size) {
            throw new IllegalArgumentException("data has " + data.length + " floats but shape "
                    + Arrays.toString(shape) + " needs " + size);
        }
        this.data = data;
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[sizeOf(shape)], shape);
    }

    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, shape);
    }

    /** The backing array, row-major. Writes are visible to every view. */
    public float[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int size() {
        return data.length;
    }

    /** Flat offset of element (n, c, h, w) of a rank-4 NCHW tensor: the engine's one index formula. */
    public int index(int n, int c, int h, int w) {
        return ((n * shape[1] + c) * shape[2] + h) * shape[3] + w;
    }

    public float get(int n, int c, int h, int w) {
        return data[index(n, c, h, w)];
    }

    public void set(int n, int c, int h, int w, float v) {
        data[index(n, c, h, w)] = v;
    }

    /** A view with another shape of the same size; -1 in one place means "whatever is left". */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int known = 1, free = -1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (free >= 0) throw new IllegalArgumentException("only one -1 allowed in " + Arrays.toString(newShape));
                free = i;
            } else {
                known *= s[i];
            }
        }
        if (free >= 0) s[free] = known == 0 ? 0 : data.length / known;
        if (sizeOf(s) != data.length) {
            throw new IllegalArgumentException("cannot reshape " + shapeString() + " to " + Arrays.toString(newShape));
        }
        return new Tensor(data, s);
    }

    /** Sample {@code n} of the batch as a copy with batch size 1. */
    public Tensor sample(int n) {
        int per = data.length / shape[0];
        int[] s = shape.clone();
        s[0] = 1;
        return new Tensor(Arrays.copyOfRange(data, n * per, (n + 1) * per), s);
    }

    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    public Tensor fill(float v) {
        Arrays.fill(data, v);
        return this;
    }

    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    public boolean hasShape(int... s) {
        return Arrays.equals(shape, s);
    }

    /** Index of the first NaN or infinite value, or -1 if all values are finite. */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) return i;
        }
        return -1;
    }

    /** "[64, 3, 32, 32]" */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    public static int sizeOf(int... shape) {
        int s = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            s = Math.multiplyExact(s, d);
        }
        return s;
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }
}

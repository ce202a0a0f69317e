package glassbox.viz.embedding;

/**
 * A quadtree over 2-D points for Barnes-Hut t-SNE's repulsive forces (van der Maaten 2014, "Accelerating
 * t-SNE using Tree-Based Algorithms", section 4.2): each cell knows how many points it holds and their
 * centre of mass, so a far-away cell acts as one heavy point.
 *
 * <p>Flat arrays, rebuilt every iteration in O(N log N) by partitioning a permutation of the point indices
 * in place (a cell's points are a contiguous range of it), so building allocates nothing once the arrays
 * have grown. A split cell gets its four children as four consecutive slots (empty ones have count 0), and
 * each cell's centre of mass, squared side and count sit next to each other in {@link #cell}, so the force
 * pass reads one short run of memory per cell. A leaf holds one point, or several identical ones. Read by
 * many threads at once after {@link #build}. Leaves out 3-D (an octree): embeddings here are 2-D.
 */
final class QuadTree {
    /** Floats per cell in {@link #cell}: centre of mass x, y, squared side length, point count. */
    static final int STRIDE = 4;
    int nodes;
    float[] cell = new float[0];
    int[] firstChild = new int[0]; // index of the first of 4 consecutive children, -1 for a leaf
    int[] from = new int[0];       // a cell's points are perm[from, from + count)
    int[] perm = new int[0];       // the points in the tree's order (near points next to each other)

    /** Builds over {@code y} [N, 2]. */
    void build(float[] y, int n) {
        if (perm.length != n) { // else the last build's order: points move little between steps, so it is nearly
            perm = new int[n];  // partitioned already and the partitions read y almost in order
            for (int i = 0; i < n; i++) perm[i] = i;
        }
        float minX = Float.POSITIVE_INFINITY, minY = minX, maxX = Float.NEGATIVE_INFINITY, maxY = maxX;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        float side = Math.max(maxX - minX, maxY - minY) * (1 + 1e-5f) + 1e-12f;
        nodes = 1;
        grow(4 * n + 8);
        node(y, 0, 0, n, minX, minY, side);
    }

    private void grow(int capacity) {
        if (firstChild.length >= capacity) return;
        cell = java.util.Arrays.copyOf(cell, STRIDE * capacity);
        firstChild = java.util.Arrays.copyOf(firstChild, capacity);
        from = java.util.Arrays.copyOf(from, capacity);
    }

    /** Fills cell {@code id} with corner (x0, y0) and side s over perm[lo, hi). */
    private void node(float[] y, int id, int lo, int hi, float x0, float y0, float s) {
        int c = STRIDE * id;
        from[id] = lo;
        firstChild[id] = -1;
        cell[c + 2] = s * s;
        cell[c + 3] = hi - lo;
        if (hi == lo) {
            cell[c] = cell[c + 1] = 0;
            return;
        }
        double sx = 0, sy = 0;
        boolean same = true;
        float fx = y[2 * perm[lo]], fy = y[2 * perm[lo] + 1];
        for (int k = lo; k < hi; k++) {
            float px = y[2 * perm[k]], py = y[2 * perm[k] + 1];
            sx += px;
            sy += py;
            same &= px == fx && py == fy;
        }
        cell[c] = (float) (sx / (hi - lo));
        cell[c + 1] = (float) (sy / (hi - lo));
        if (hi - lo == 1 || same || s < 1e-30f) return;
        float h = s / 2, mx = x0 + h, my = y0 + h;
        int a = partition(y, lo, hi, 0, mx); // [lo, a) left of mx
        int b = partition(y, lo, a, 1, my), d = partition(y, a, hi, 1, my); // then each half by y
        if (nodes + 4 > firstChild.length) grow(2 * firstChild.length);
        int first = nodes;
        nodes += 4;
        firstChild[id] = first;
        node(y, first, lo, b, x0, y0, h);
        node(y, first + 1, b, a, x0, my, h);
        node(y, first + 2, a, d, mx, y0, h);
        node(y, first + 3, d, hi, mx, my, h);
    }

    private int partition(float[] y, int lo, int hi, int axis, float split) {
        int i = lo, j = hi - 1;
        while (i <= j) {
            if (y[2 * perm[i] + axis] < split) i++;
            else {
                int t = perm[i];
                perm[i] = perm[j];
                perm[j--] = t;
            }
        }
        return i;
    }
}

package glassbox.viz.embedding;

/**
 * A quadtree over 2-D points for Barnes-Hut t-SNE's repulsive forces (van der Maaten 2014, "Accelerating
 * t-SNE using Tree-Based Algorithms", section 4.2): each cell knows how many points it holds and their
 * centre of mass, so a far-away cell acts as one heavy point.
 *
 * <p>Flat arrays, rebuilt every iteration in O(N log N) by partitioning a permutation of the point indices
 * in place (a cell's points are a contiguous range of it), so building allocates nothing once the arrays
 * have grown. A leaf holds one point, or several identical ones. Read by many threads at once after
 * {@link #build}. Leaves out 3-D (an octree): embeddings here are 2-D.
 */
final class QuadTree {
    int nodes;
    float[] comX = new float[0], comY = new float[0], width = new float[0]; // centre of mass, full side length
    int[] count = new int[0], firstChild = new int[0], from = new int[0];     // first child (-1 leaf), points [from, from+count)
    int[] next = new int[0];   // next sibling, -1 after the last (a child's subtree follows it, so siblings are not adjacent)
    int[] perm = new int[0];

    /** Builds over {@code y} [N, 2]. */
    void build(float[] y, int n) {
        if (perm.length < n) perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        float minX = Float.POSITIVE_INFINITY, minY = minX, maxX = Float.NEGATIVE_INFINITY, maxY = maxX;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        float side = Math.max(maxX - minX, maxY - minY) * (1 + 1e-5f) + 1e-12f;
        nodes = 0;
        grow(4 * n + 4);
        node(y, 0, n, minX, minY, side);
    }

    private void grow(int capacity) {
        if (count.length >= capacity) return;
        comX = java.util.Arrays.copyOf(comX, capacity);
        comY = java.util.Arrays.copyOf(comY, capacity);
        width = java.util.Arrays.copyOf(width, capacity);
        count = java.util.Arrays.copyOf(count, capacity);
        firstChild = java.util.Arrays.copyOf(firstChild, capacity);
        from = java.util.Arrays.copyOf(from, capacity);
        next = java.util.Arrays.copyOf(next, capacity);
    }

    /** Cell with corner (x0, y0) and side s over perm[lo, hi); returns its index. */
    private int node(float[] y, int lo, int hi, float x0, float y0, float s) {
        if (nodes + 5 > count.length) grow(2 * count.length);
        int id = nodes++;
        double sx = 0, sy = 0;
        boolean same = true;
        float fx = y[2 * perm[lo]], fy = y[2 * perm[lo] + 1];
        for (int k = lo; k < hi; k++) {
            float px = y[2 * perm[k]], py = y[2 * perm[k] + 1];
            sx += px;
            sy += py;
            same &= px == fx && py == fy;
        }
        comX[id] = (float) (sx / (hi - lo));
        comY[id] = (float) (sy / (hi - lo));
        width[id] = s;
        count[id] = hi - lo;
        from[id] = lo;
        firstChild[id] = -1;
        next[id] = -1;
        if (hi - lo == 1 || same || s < 1e-30f) return id;
        float h = s / 2, mx = x0 + h, my = y0 + h;
        // Partition into quadrants: [lo, a) left, [a, hi) right; then each by y.
        int a = partition(y, lo, hi, 0, mx);
        int b = partition(y, lo, a, 1, my), c = partition(y, a, hi, 1, my);
        int[] bounds = {lo, b, a, c, hi};
        float[][] corner = {{x0, y0}, {x0, my}, {mx, y0}, {mx, my}};
        int first = -1, prev = -1;
        for (int q = 0; q < 4; q++) {
            if (bounds[q + 1] == bounds[q]) continue;
            int child = node(y, bounds[q], bounds[q + 1], corner[q][0], corner[q][1], h);
            if (first < 0) first = child;
            else next[prev] = child;
            prev = child;
        }
        next[prev] = -1;
        firstChild[id] = first;
        return id;
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

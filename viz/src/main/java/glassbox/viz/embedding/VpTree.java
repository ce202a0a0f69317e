package glassbox.viz.embedding;

import java.util.SplittableRandom;

/**
 * A vantage-point tree over N points in D dimensions for exact k-nearest-neighbour queries in Euclidean
 * distance (Yianilos 1993, "Data Structures and Algorithms for Nearest Neighbor Search in General Metric
 * Spaces"; the structure van der Maaten 2014 uses for t-SNE's input similarities).
 *
 * <p>Each node holds a vantage point and the median distance {@code tau} of its subtree's points to it:
 * points nearer than {@code tau} go left, the others right. A query visits a side only if the ball around
 * the query with the current k-th distance crosses it, which the triangle inequality makes exact. The tree
 * is a permutation of the point indices (the subtree of a node is a contiguous range), built once from a
 * seeded random choice of vantage points, and read by many threads at once. Leaves out other metrics.
 */
final class VpTree {
    private final float[] x; // [N, D]
    private final int d;
    private final int[] items;    // permutation: node i's vantage point is items[i]'s range start
    private final float[] tau;    // per position: radius of the node whose range starts there

    VpTree(float[] x, int n, int d, long seed) {
        this.x = x;
        this.d = d;
        this.items = new int[n];
        this.tau = new float[n];
        for (int i = 0; i < n; i++) items[i] = i;
        build(0, n, new SplittableRandom(seed), new float[n]);
    }

    /** Node over items[lo, hi): vantage point at lo, "inside" in (lo, mid], "outside" in (mid, hi). */
    private void build(int lo, int hi, SplittableRandom r, float[] dist) {
        while (hi - lo > 1) {
            int pick = lo + r.nextInt(hi - lo);
            swap(lo, pick);
            int v = items[lo];
            for (int i = lo + 1; i < hi; i++) dist[items[i]] = distance(v, items[i]);
            int mid = (lo + 1 + hi) / 2; // median position among lo+1..hi-1
            select(lo + 1, hi - 1, mid, dist);
            tau[lo] = dist[items[mid]];
            build(lo + 1, mid, r, dist);
            lo = mid; // tail-recurse on the outside half: items[mid] is its vantage point
        }
    }

    /** Quickselect: items[lo..hi] reordered so that position k holds the k-th smallest dist, smaller before. */
    private void select(int lo, int hi, int k, float[] dist) {
        while (lo < hi) {
            float pivot = dist[items[(lo + hi) >>> 1]];
            int i = lo, j = hi;
            while (i <= j) {
                while (dist[items[i]] < pivot) i++;
                while (dist[items[j]] > pivot) j--;
                if (i <= j) swap(i++, j--);
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }

    private void swap(int a, int b) {
        int t = items[a];
        items[a] = items[b];
        items[b] = t;
    }

    float distance(int a, int b) {
        int oa = a * d, ob = b * d;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0; // four sums: independent adds keep the pipeline full
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            float t0 = x[oa + j] - x[ob + j], t1 = x[oa + j + 1] - x[ob + j + 1];
            float t2 = x[oa + j + 2] - x[ob + j + 2], t3 = x[oa + j + 3] - x[ob + j + 3];
            s0 += t0 * t0;
            s1 += t1 * t1;
            s2 += t2 * t2;
            s3 += t3 * t3;
        }
        for (; j < d; j++) {
            float t = x[oa + j] - x[ob + j];
            s0 += t * t;
        }
        return (float) Math.sqrt((s0 + s1) + (s2 + s3));
    }

    /**
     * The {@code k} nearest neighbours of point {@code q} (itself excluded), nearest first: indices into
     * {@code idx[off..off+k)} and distances into {@code dst[off..off+k)}.
     */
    void search(int q, int k, int[] idx, float[] dst, int off) {
        Heap h = new Heap(k);
        search(0, items.length, q, h);
        h.drainSorted(idx, dst, off);
    }

    private void search(int lo, int hi, int q, Heap h) {
        while (hi > lo) {
            int v = items[lo];
            float dv = distance(q, v);
            if (v != q) h.offer(v, dv);
            if (hi - lo == 1) return;
            int mid = (lo + 1 + hi) / 2;
            float t = tau[lo];
            if (dv < t) { // nearer side first
                if (dv - h.radius() <= t) search(lo + 1, mid, q, h);
                if (dv + h.radius() >= t) { lo = mid; continue; }
                return;
            } else {
                if (dv + h.radius() >= t) search(mid, hi, q, h);
                if (dv - h.radius() <= t) { hi = mid; lo = lo + 1; continue; }
                return;
            }
        }
    }

    /** A bounded max-heap of (distance, index): the k best so far, worst on top. */
    private static final class Heap {
        final int[] id;
        final float[] dist;
        int size;

        Heap(int k) {
            id = new int[k];
            dist = new float[k];
        }

        float radius() {
            return size < id.length ? Float.POSITIVE_INFINITY : dist[0];
        }

        void offer(int i, float dd) {
            if (size < id.length) {
                int c = size++;
                while (c > 0) {
                    int p = (c - 1) / 2;
                    if (!worse(dd, i, dist[p], id[p])) break;
                    id[c] = id[p];
                    dist[c] = dist[p];
                    c = p;
                }
                id[c] = i;
                dist[c] = dd;
            } else if (worse(dist[0], id[0], dd, i)) {
                siftDown(i, dd, size);
            }
        }

        /** Ties broken by index, so the neighbour set does not depend on visiting order. */
        private static boolean worse(float d1, int i1, float d2, int i2) {
            return d1 > d2 || d1 == d2 && i1 > i2;
        }

        private void siftDown(int i, float dd, int n) {
            int c = 0;
            while (true) {
                int l = 2 * c + 1;
                if (l >= n) break;
                int r = l + 1, big = r < n && worse(dist[r], id[r], dist[l], id[l]) ? r : l;
                if (!worse(dist[big], id[big], dd, i)) break;
                id[c] = id[big];
                dist[c] = dist[big];
                c = big;
            }
            id[c] = i;
            dist[c] = dd;
        }

        void drainSorted(int[] idx, float[] dst, int off) {
            for (int n = size; n > 0; n--) {
                idx[off + n - 1] = id[0];
                dst[off + n - 1] = dist[0];
                int li = id[n - 1];
                float ld = dist[n - 1];
                siftDown(li, ld, n - 1);
            }
        }
    }
}

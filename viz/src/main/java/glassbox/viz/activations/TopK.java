package glassbox.viz.activations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The k strongest activations seen so far for each channel, kept in a bounded min-heap per channel: the
 * weakest kept hit sits on top, and a new value replaces it only if it is stronger. O(log k) per offer.
 *
 * <p>Ties are broken towards the earlier hit (lower image, then row, then column), so results are
 * deterministic and match a brute-force scan in scan order.
 */
public final class TopK {
    /** One activation: its value, and where it happened (image index in the split, row, column of the map). */
    public record Hit(float value, int image, int y, int x) {
    }

    /** Strongest first; on equal values the earlier position first. */
    public static final Comparator<Hit> STRONGEST_FIRST = Comparator.comparingDouble((Hit h) -> -h.value())
            .thenComparingInt(Hit::image).thenComparingInt(Hit::y).thenComparingInt(Hit::x);

    private final int k;
    private final List<PriorityQueue<Hit>> heaps = new ArrayList<>();

    public TopK(int channels, int k) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        this.k = k;
        for (int c = 0; c < channels; c++) heaps.add(new PriorityQueue<>(k + 1, STRONGEST_FIRST.reversed()));
    }

    public int k() {
        return k;
    }

    public int channels() {
        return heaps.size();
    }

    /** Offers a hit for channel {@code c}; kept if it is among the k strongest so far. */
    public void offer(int c, Hit h) {
        PriorityQueue<Hit> q = heaps.get(c);
        if (q.size() < k) {
            q.add(h);
        } else if (STRONGEST_FIRST.compare(h, q.peek()) < 0) {
            q.poll();
            q.add(h);
        }
    }

    /** Would {@code value} enter channel c's list? (Cheap pre-check that avoids allocating a Hit.) */
    public boolean admits(int c, float value) {
        PriorityQueue<Hit> q = heaps.get(c);
        return q.size() < k || value >= q.peek().value();
    }

    /** Channel c's hits, strongest first. */
    public List<Hit> hits(int c) {
        List<Hit> l = new ArrayList<>(heaps.get(c));
        l.sort(STRONGEST_FIRST);
        return l;
    }
}

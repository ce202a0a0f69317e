package glassbox.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * Deterministic data parallelism: a range is cut into {@code threads} fixed contiguous chunks, so the
 * same inputs and thread count always split the work the same way and give bit-identical results
 * (reductions combine per-chunk partials in chunk order, never in completion order).
 */
public final class Parallel {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile ForkJoinPool pool = new ForkJoinPool(threads);

    /** True on a thread that is already running a chunk: nested calls then run inline. */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    private Parallel() {
    }

    /** Number of worker threads used by kernels and layers. */
    public static int threads() {
        return threads;
    }

    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n != threads) {
            pool.shutdown();
            pool = new ForkJoinPool(n);
            threads = n;
        }
    }

    /** Body over the chunk [from, to) of [0, n); {@code chunk} is the chunk's index in 0..chunks-1. */
    public interface RangeBody {
        void run(int chunk, int from, int to);
    }

    /** How many chunks {@link #forRange} will use for n items. */
    public static int chunks(int n) {
        return Math.max(1, Math.min(threads, n));
    }

    /** Runs body over [0, n) in {@link #chunks(int)} contiguous chunks; the caller's thread takes one. */
    public static void forRange(int n, RangeBody body) {
        int chunks = chunks(n);
        if (chunks == 1 || INSIDE.get()) { // no nesting: inner calls run inline
            body.run(0, 0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        for (int t = 1; t < chunks; t++) {
            final int chunk = t;
            futures.add(pool.submit(() -> inside(() -> body.run(chunk, start(n, chunks, chunk), start(n, chunks, chunk + 1)))));
        }
        inside(() -> body.run(0, 0, start(n, chunks, 1)));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) throw r;
                if (c instanceof Error err) throw err;
                throw new RuntimeException(c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeException(e);
            }
        }
    }

    private static void inside(Runnable r) {
        INSIDE.set(true);
        try {
            r.run();
        } finally {
            INSIDE.set(false);
        }
    }

    private static int start(int n, int chunks, int chunk) {
        return (int) ((long) n * chunk / chunks);
    }
}

package glassbox.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Deterministic data parallelism: a range is cut into {@code threads} fixed contiguous chunks, so the
 * same inputs and thread count always split the work the same way and give bit-identical results
 * (reductions combine per-chunk partials in chunk order, never in completion order).
 *
 * <p>The chunks run on {@code threads - 1} long-lived workers plus the calling thread. A training step calls
 * {@link #forRange} dozens of times for pieces of work of 50 us to a few ms, so the hand-over must be cheap:
 * a worker that has just finished a chunk spins for {@link #SPIN_NANOS} waiting for the next one (as OpenMP
 * and OpenBLAS threads do) before it parks. Measured on this 2-core VM: an empty {@code forRange} took
 * 29-55 us with a ForkJoinPool (submit, then Future.get, each side parking and being woken), 0.1-0.3 us spinning.
 *
 * <p>One range at a time: a call made while another is running (from inside a chunk, or from a second
 * thread) runs inline on its caller, as one chunk. {@link #setThreads} waits for a running range to finish, and
 * throws if called from inside one (it would wait for itself).
 */
public final class Parallel {
    /** How long an idle worker spins for the next chunk before it parks: 1 ms, a few training-step layers. */
    static final long SPIN_NANOS = 1_000_000;

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile Workers workers = new Workers(threads - 1);
    /** Held by the thread whose range the workers are running. */
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    /** The thread holding BUSY, and a mark on the workers: setThreads from inside a range would wait forever. */
    private static volatile Thread owner;
    private static final ThreadLocal<Boolean> ON_WORKER = ThreadLocal.withInitial(() -> false);

    private Parallel() {
    }

    /** Number of worker threads used by kernels and layers. */
    public static int threads() {
        return threads;
    }

    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n != threads) {
            if (owner == Thread.currentThread() || ON_WORKER.get()) {
                throw new IllegalStateException("Parallel.setThreads(" + n + ") called from inside a parallel range");
            }
            while (!BUSY.compareAndSet(false, true)) Thread.onSpinWait(); // let a running range finish
            try {
                workers.shutdown();
                workers = new Workers(n - 1);
                threads = n;
            } finally {
                BUSY.set(false);
            }
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

    /** Runs body over [0, n) in {@link #chunks(int)} contiguous chunks; the caller's thread takes the first. */
    public static void forRange(int n, RangeBody body) {
        int chunks = chunks(n);
        if (chunks == 1 || !BUSY.compareAndSet(false, true)) { // nested or concurrent: inline
            body.run(0, 0, n);
            return;
        }
        owner = Thread.currentThread();
        try {
            workers.run(n, chunks, body);
        } finally {
            owner = null;
            BUSY.set(false);
        }
    }

    private static int start(int n, int chunks, int chunk) {
        return (int) ((long) n * chunk / chunks);
    }

    /** The worker threads; worker i runs chunk i + 1 of each range. */
    private static final class Workers {
        private final Thread[] threads;
        // The range being run, published by the volatile write of generation and read after reading it.
        private RangeBody body;
        private int n, chunks;
        private volatile int generation;
        private volatile boolean stop;
        // 1 while worker i is about to park or parked. Worker: set the flag, then read generation; caller: write
        // generation, then read the flag (both volatile): at least one side sees the other's write, so no
        // range is left waiting for a worker that nobody wakes.
        private final AtomicIntegerArray parked;
        private final AtomicInteger pending = new AtomicInteger();
        private volatile Throwable failure;

        Workers(int count) {
            threads = new Thread[count];
            parked = new AtomicIntegerArray(count);
            for (int i = 0; i < count; i++) {
                final int w = i;
                threads[i] = new Thread(() -> loop(w), "glassbox-worker-" + (i + 1));
                threads[i].setDaemon(true);
                threads[i].start();
            }
        }

        void run(int n, int chunks, RangeBody body) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            failure = null;
            // Every worker answers every range, with or without a chunk, so that none can still be reading
            // these fields when the next range overwrites them.
            pending.set(threads.length);
            generation++; // publishes the fields above (only this thread writes generation, under BUSY)
            for (int i = 0; i < threads.length; i++) if (parked.get(i) == 1) LockSupport.unpark(threads[i]);
            Throwable mine = null;
            try {
                body.run(0, 0, start(n, chunks, 1));
            } catch (Throwable t) {
                mine = t;
            }
            while (pending.get() > 0) Thread.onSpinWait(); // the other chunks are about as long as ours
            this.body = null;
            Throwable t = mine != null ? mine : failure;
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new RuntimeException(t);
        }

        private void loop(int w) {
            ON_WORKER.set(true);
            int seen = 0;
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (generation == seen && !stop) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        parked.set(w, 1);
                        if (generation == seen && !stop) LockSupport.park(this);
                        parked.set(w, 0);
                    }
                }
                if (stop) return;
                seen = generation;
                int chunk = w + 1;
                if (chunk < chunks) {
                    try {
                        body.run(chunk, start(n, chunks, chunk), start(n, chunks, chunk + 1));
                    } catch (Throwable t) {
                        failure = t;
                    }
                }
                pending.decrementAndGet();
            }
        }

        void shutdown() {
            stop = true;
            for (Thread t : threads) LockSupport.unpark(t);
        }
    }
}

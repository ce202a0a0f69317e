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
 * <p><b>Chunks are claimed, not assigned.</b> Which thread runs which chunk is decided at run time: every
 * thread of the range, the caller included, takes the next unclaimed chunk from one counter until none is
 * left. On an idle machine each thread takes one. When another process holds a core, a worker may not be
 * running when the range starts; the caller then runs that worker's chunk itself instead of waiting for it
 * to be scheduled (with static halves, a two-thread call took 14x as long as one thread on a shared machine).
 * The chunk boundaries and the chunk index passed to the body do not depend on who runs it, so results stay
 * bit-identical for any schedule. The caller waits only for chunks a worker has already started; while it
 * waits it spins briefly, then yields its core (to that worker, if they share one).
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

    /**
     * Runs body over [0, n) in {@link #chunks(int)} contiguous chunks, chunk c over
     * [n·c/chunks, n·(c+1)/chunks); the calling thread runs at least one of them, and every chunk runs exactly
     * once, on whichever thread claims it first.
     */
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

    /** Test hook: runs on a worker before it claims a chunk of a new range (a stalled worker); null in use. */
    static volatile Runnable workerStall;

    /**
     * One call of {@link #forRange}: what to run and the two counters its threads share. A new object per call,
     * so a worker that wakes up late and still holds an old range finds no chunk left in it and touches nothing.
     */
    private static final class Range {
        final RangeBody body;
        final int n, chunks;
        final AtomicInteger next = new AtomicInteger(); // the next chunk to claim
        final AtomicInteger done = new AtomicInteger(); // chunks finished
        volatile Throwable failure;

        Range(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
        }

        /** Claims and runs chunks until none is left; returns how many this thread ran. */
        int work() {
            int ran = 0;
            for (int c; (c = next.getAndIncrement()) < chunks; ran++) {
                try {
                    body.run(c, start(n, chunks, c), start(n, chunks, c + 1));
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
            return ran;
        }
    }

    /** The worker threads, each claiming chunks of every range published. */
    private static final class Workers {
        /** How long the caller spins for chunks that workers are running before it starts yielding its core. */
        private static final long WAIT_SPIN_NANOS = 50_000;
        private final Thread[] threads;
        private volatile Range current; // the range being run (or the last one)
        private volatile boolean stop;
        // 1 while worker i is about to park or parked. Worker: set the flag, then read current; caller: write
        // current, then read the flag (both volatile): at least one side sees the other's write, so no
        // worker sleeps through a range that it should help with.
        private final AtomicIntegerArray parked;

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
            Range r = new Range(body, n, chunks);
            current = r;
            for (int i = 0; i < threads.length; i++) if (parked.get(i) == 1) LockSupport.unpark(threads[i]);
            r.work(); // chunk 0 and whatever no worker has claimed by the time it is done
            if (r.done.get() < chunks) { // workers are still running chunks they claimed
                long spinUntil = System.nanoTime() + WAIT_SPIN_NANOS;
                while (r.done.get() < chunks) {
                    if (System.nanoTime() < spinUntil) Thread.onSpinWait();
                    else Thread.yield(); // the worker may be waiting for this core
                }
            }
            Throwable t = r.failure;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new RuntimeException(t);
        }

        private void loop(int w) {
            ON_WORKER.set(true);
            Range seen = null;
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (current == seen && !stop) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        parked.set(w, 1);
                        if (current == seen && !stop) LockSupport.park(this);
                        parked.set(w, 0);
                    }
                }
                if (stop) return;
                seen = current;
                Runnable stall = workerStall;
                if (stall != null) stall.run();
                seen.work();
            }
        }

        void shutdown() {
            stop = true;
            for (Thread t : threads) LockSupport.unpark(t);
        }
    }
}

package glassbox.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

class ParallelTest {
    private final int before = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    /** Each index of [0, n) is visited once, in contiguous chunks numbered 0..chunks-1 in order. */
    @Test
    void chunksCoverTheRangeOnce() {
        for (int threads : new int[]{1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int n : new int[]{1, 2, 3, 7, 1000}) {
                for (int rep = 0; rep < 200; rep++) { // many ranges in a row: the hand-over between them
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    int chunks = Parallel.chunks(n);
                    int[][] bounds = new int[chunks][];
                    Parallel.forRange(n, (chunk, from, to) -> {
                        bounds[chunk] = new int[]{from, to};
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n + ", " + threads + " threads");
                    assertEquals(Math.min(threads, n), chunks);
                    for (int c = 0; c < chunks; c++) {
                        assertNotNull(bounds[c], "chunk " + c + " never ran");
                        assertEquals(c == 0 ? 0 : bounds[c - 1][1], bounds[c][0], "chunks are contiguous");
                    }
                    assertEquals(n, bounds[chunks - 1][1]);
                }
            }
        }
    }

    /** On an idle machine each thread takes a chunk (here each chunk waits until the other has started). */
    @Test
    void chunksRunOnDifferentThreads() {
        Parallel.setThreads(2);
        Set<Thread> seen = threadsOfTwoChunksThatWaitForEachOther();
        assertEquals(2, seen.size());
        assertTrue(seen.contains(Thread.currentThread()), "the caller takes a chunk");
    }

    /**
     * A worker that is not running when a range starts (descheduled by another process; here held by a test
     * hook for 2 s) does not hold the caller up: the caller runs the worker's chunk too, with the same chunk
     * numbers and bounds, so a result built from per-chunk partials is the same bits.
     */
    @Test
    void aStalledWorkerDoesNotHoldTheCaller() {
        Parallel.setThreads(3);
        int n = 1001;
        float[] data = new float[n];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < n; i++) data[i] = (float) r.nextGaussian();
        int[][] normalBounds = new int[3][];
        float normal = chunkedSum(data, normalBounds, null);
        CountDownLatch release = new CountDownLatch(1);
        Parallel.workerStall = () -> {
            try {
                release.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        try {
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
                for (int rep = 0; rep < 5; rep++) {
                    int[][] bounds = new int[3][];
                    Set<Thread> ran = ConcurrentHashMap.newKeySet();
                    long t0 = System.nanoTime();
                    float stalled = chunkedSum(data, bounds, ran);
                    assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "the caller waited for a stalled worker");
                    assertEquals(Set.of(Thread.currentThread()), ran, "every chunk ran on the caller");
                    assertEquals(Float.floatToIntBits(normal), Float.floatToIntBits(stalled), "same bits as without the stall");
                    for (int c = 0; c < 3; c++) assertArrayEquals(normalBounds[c], bounds[c], "chunk " + c);
                }
            });
        } finally {
            Parallel.workerStall = null;
            release.countDown();
        }
        assertEquals(Float.floatToIntBits(normal), Float.floatToIntBits(chunkedSum(data, new int[3][], null)), "and after it");
    }

    /** Sum of data from per-chunk partials added in chunk order (as the weight gradients do); notes who ran what. */
    private static float chunkedSum(float[] data, int[][] bounds, Set<Thread> ran) {
        float[] partial = new float[Parallel.chunks(data.length)];
        Parallel.forRange(data.length, (chunk, from, to) -> {
            if (ran != null) ran.add(Thread.currentThread());
            bounds[chunk] = new int[]{from, to};
            float s = 0;
            for (int i = from; i < to; i++) s += data[i] * data[i] - 0.1f * i;
            partial[chunk] = s;
        });
        float sum = 0;
        for (float p : partial) sum += p;
        return sum;
    }

    /** Workers stalled at random moments: every range still covers each index once. */
    @Test
    void randomlyStalledWorkersStillCoverEveryIndexOnce() {
        Parallel.setThreads(3);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Parallel.workerStall = () -> {
            if (calls.incrementAndGet() % 3 == 0) LockSupport.parkNanos(200_000);
        };
        try {
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
                for (int rep = 0; rep < 2000; rep++) {
                    int n = 1 + rep % 40;
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    Parallel.forRange(n, (chunk, from, to) -> {
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n + ", rep " + rep);
                }
            });
        } finally {
            Parallel.workerStall = null;
        }
    }

    /** After more than the spin time without work the worker parks; the next range must wake it. */
    @Test
    void aParkedWorkerIsWokenForTheNextRange() {
        Parallel.setThreads(2);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            for (int rep = 0; rep < 20; rep++) {
                Thread.sleep(3 * Parallel.SPIN_NANOS / 1_000_000);
                // the caller's chunk waits for the worker to claim the other
                assertEquals(2, threadsOfTwoChunksThatWaitForEachOther().size());
            }
        });
    }

    @Test
    void failureInAWorkerChunkReachesTheCallerAndThePoolStillWorks() {
        Parallel.setThreads(2);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException got = assertThrows(IllegalStateException.class, () -> Parallel.forRange(10, (chunk, from, to) -> {
            if (chunk == 1) throw boom;
        }));
        assertSame(boom, got);
        AtomicIntegerArray hits = new AtomicIntegerArray(10);
        Parallel.forRange(10, (chunk, from, to) -> {
            for (int i = from; i < to; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < 10; i++) assertEquals(1, hits.get(i));
    }

    @Test
    void nestedRangesRunInlineAsOneChunk() {
        Parallel.setThreads(2);
        List<int[]> inner = java.util.Collections.synchronizedList(new ArrayList<>());
        Parallel.forRange(2, (chunk, from, to) -> Parallel.forRange(6, (c, f, t) -> inner.add(new int[]{c, f, t})));
        assertEquals(2, inner.size());
        for (int[] r : inner) assertArrayEquals(new int[]{0, 0, 6}, r);
    }

    /** Changing the thread count from inside a range (caller's or worker's chunk) is an error, not a hang. */
    @Test
    void setThreadsInsideARangeFailsClearly() {
        Parallel.setThreads(2);
        for (int which = 0; which < 2; which++) {
            final int chunkThatCalls = which;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(2, (chunk, from, to) -> {
                if (chunk == chunkThatCalls) Parallel.setThreads(1);
            }));
            assertTrue(e.getMessage().contains("inside a parallel range"), e.getMessage());
        }
        Parallel.setThreads(1); // and outside it still works
        assertEquals(1, Parallel.threads());
    }

    /** Callers on several threads at once: each range still runs whole, once (inline when the workers are busy). */
    @Test
    void concurrentCallersEachGetTheirWholeRange() throws InterruptedException {
        Parallel.setThreads(2);
        Thread[] callers = new Thread[4];
        AtomicIntegerArray errors = new AtomicIntegerArray(callers.length);
        for (int t = 0; t < callers.length; t++) {
            final int id = t;
            callers[t] = new Thread(() -> {
                for (int rep = 0; rep < 2000; rep++) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(17);
                    Parallel.forRange(17, (chunk, from, to) -> {
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < 17; i++) if (hits.get(i) != 1) errors.incrementAndGet(id);
                }
            });
            callers[t].start();
        }
        for (Thread t : callers) t.join();
        for (int t = 0; t < callers.length; t++) assertEquals(0, errors.get(t), "caller " + t);
    }

    /** Serial mode: every chunk runs on the caller, in order, with the threaded path's bounds. */
    @Test
    void serialRunsEveryChunkInlineOnTheCaller() {
        Parallel.setThreads(2);
        Thread caller = Thread.currentThread();
        List<int[]> seen = new ArrayList<>();
        Parallel.serial(() -> Parallel.forRange(7, (chunk, from, to) -> {
            assertSame(caller, Thread.currentThread());
            seen.add(new int[]{chunk, from, to});
        }));
        assertEquals(2, seen.size());
        assertArrayEquals(new int[]{0, 0, 3}, seen.get(0));
        assertArrayEquals(new int[]{1, 3, 7}, seen.get(1));
        assertFalse(Parallel.isSerial(), "the mode ends with the call");
    }

    /** Ranges nested inside serial work keep their chunking (unlike nested threaded ranges, which run as one chunk). */
    @Test
    void serialNestedRangesKeepTheirChunks() {
        Parallel.setThreads(2);
        List<int[]> inner = new ArrayList<>();
        int r = Parallel.serial(() -> {
            Parallel.forRange(2, (chunk, from, to) -> Parallel.forRange(6, (c, f, t) -> inner.add(new int[]{chunk, c, f, t})));
            return 42;
        });
        assertEquals(42, r);
        assertEquals(4, inner.size());
        assertArrayEquals(new int[]{0, 0, 0, 3}, inner.get(0));
        assertArrayEquals(new int[]{0, 1, 3, 6}, inner.get(1));
        assertArrayEquals(new int[]{1, 0, 0, 3}, inner.get(2));
        assertArrayEquals(new int[]{1, 1, 3, 6}, inner.get(3));
    }

    /** A model's forward and input gradient give the same bits in serial mode as split between the threads. */
    @Test
    void serialGivesTheThreadedBits() {
        Parallel.setThreads(2);
        glassbox.model.Model m = glassbox.model.Zoo.build("resnet20", glassbox.model.Zoo.options(new int[]{3, 16, 16}, 10), 3);
        float[] x = new float[4 * 3 * 16 * 16];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] dy = new float[4 * 10];
        for (int i = 0; i < dy.length; i++) dy[i] = (float) rnd.nextGaussian();
        java.util.function.Supplier<float[][]> pass = () -> {
            float[] out = m.forward(glassbox.tensor.Tensor.of(x.clone(), 4, 3, 16, 16), true).data().clone();
            float[] dx = m.backward(glassbox.tensor.Tensor.of(dy.clone(), 4, 10)).data().clone();
            float[] dw = m.params().getFirst().grad().data().clone();
            m.zeroGrad();
            return new float[][]{out, dx, dw};
        };
        float[][] threaded = pass.get(), serial = Parallel.serial(pass);
        for (int k = 0; k < threaded.length; k++) assertArrayEquals(threaded[k], serial[k], "output " + k);
    }

    /** The mode is the calling thread's only: a range started meanwhile on another thread is still split. */
    @Test
    void serialDoesNotLeakToOtherThreadsOrPastTheCall() throws Exception {
        Parallel.setThreads(2);
        Set<Thread> otherThreads = ConcurrentHashMap.newKeySet();
        boolean[] otherSerial = new boolean[1];
        Parallel.serial(() -> {
            assertTrue(Parallel.isSerial());
            Thread t = new Thread(() -> {
                otherSerial[0] = Parallel.isSerial();
                otherThreads.addAll(threadsOfTwoChunksThatWaitForEachOther());
            });
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        assertFalse(otherSerial[0]);
        assertEquals(2, otherThreads.size(), "the other thread's range was split between the workers");
        assertThrows(IllegalStateException.class, () -> Parallel.serial(() -> {
            throw new IllegalStateException("boom");
        }));
        assertFalse(Parallel.isSerial(), "not after the call, even when it threw");
        assertEquals(2, threadsOfTwoChunksThatWaitForEachOther().size(), "split again after the call");
    }

    /** The threads that ran a two-chunk range whose chunks wait (up to 5 s) until both have started. */
    private static Set<Thread> threadsOfTwoChunksThatWaitForEachOther() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch both = new CountDownLatch(2);
        Parallel.forRange(2, (chunk, from, to) -> {
            threads.add(Thread.currentThread());
            both.countDown();
            try {
                both.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return threads;
    }
}

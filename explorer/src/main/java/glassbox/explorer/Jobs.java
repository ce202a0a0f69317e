package glassbox.explorer;

import glassbox.viz.Progress;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The explorer's heavy views (robustness curves, the confusion matrix over a split, t-SNE, the sanity check,
 * class models, top patches), computed once per model and parameters in the background and kept in memory.
 *
 * <p>The first request for a key starts the work and answers at once with its status; the page asks again
 * (polls) until the result is there. One computation runs at a time, on one background thread: the machine
 * the explorer is made for has two cores, and the interactive routes must stay quick. The cache keeps the
 * {@value #KEEP} most recent results. A failed computation answers its error once and is forgotten, so it can
 * be asked again. Leaves out cancelling a computation nobody waits for any more.
 */
public final class Jobs {
    /** Results kept in memory (least recently asked forgotten first). */
    public static final int KEEP = 64;

    /** Where a computation is. */
    public enum State { QUEUED, RUNNING, DONE, FAILED }

    /**
     * What the page is told while it waits.
     *
     * @param status   queued, running (then 202) or done (then 200 and {@code result})
     * @param progress fraction done, 0..1
     * @param task     what runs now, e.g. "PGD-10 L-inf: images attacked"
     * @param seconds  time since the computation started (0 while queued)
     * @param result   the view's record once done, else null
     */
    public record Status(String status, double progress, String task, double seconds, Object result) {
    }

    /** One computation: its state, progress and, once done, its result (or its error). */
    public static final class Job {
        private volatile State state = State.QUEUED;
        private volatile double progress;
        private volatile String task = "waiting for the computation before it";
        private volatile long started, ended;
        private volatile Object result;
        private volatile RuntimeException error;

        public State state() {
            return state;
        }

        public Object result() {
            return result;
        }

        /** Reports that {@code fraction} of the whole work is done, while doing {@code what}. */
        public void report(double fraction, String what) {
            progress = Math.clamp(fraction, 0, 1);
            if (what != null) task = what;
        }

        /**
         * A {@link Progress} for part {@code part} of {@code parts} equal parts of the work: its counts are
         * mapped into [part/parts, (part+1)/parts] of the whole, its task name shown with {@code label}.
         */
        public Progress part(int part, int parts, String label) {
            return new Progress() {
                long total = 1;
                String name = label;

                @Override
                public void start(String t, long tot) {
                    total = Math.max(1, tot);
                    name = label + ": " + t;
                    report((double) part / parts, name);
                }

                @Override
                public void stepTo(long done) {
                    report((part + Math.min(1.0, (double) done / total)) / parts, name);
                }

                @Override
                public void end() {
                }
            };
        }

        Status status() {
            double secs = started == 0 ? 0 : ((ended != 0 ? ended : System.nanoTime()) - started) / 1e9;
            return new Status(state.name().toLowerCase(java.util.Locale.ROOT), state == State.DONE ? 1 : progress, task, secs,
                    state == State.DONE ? result : null);
        }
    }

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "glassbox-views");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        return t;
    });
    private final Map<String, Job> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
            return size() > KEEP && eldest.getValue().state() != State.RUNNING && eldest.getValue().state() != State.QUEUED;
        }
    };

    /** The job under {@code key}, started with {@code work} if there is none yet. */
    public synchronized Job get(String key, Function<Job, Object> work) {
        Job j = cache.get(key);
        if (j != null) return j;
        Job job = new Job();
        cache.put(key, job);
        worker.submit(() -> {
            job.started = System.nanoTime();
            job.state = State.RUNNING;
            job.task = "starting";
            try {
                job.result = work.apply(job);
                job.ended = System.nanoTime();
                job.state = State.DONE;
            } catch (RuntimeException e) {
                if (System.getenv("GLASSBOX_DEBUG") != null) e.printStackTrace();
                job.error = e;
                job.state = State.FAILED;
            } catch (Error e) {
                job.error = new ApiException(500, "the computation ran out of resources: " + e.getClass().getSimpleName());
                job.state = State.FAILED;
            }
        });
        return job;
    }

    /** The job under {@code key} if one was started, else null. */
    public synchronized Job peek(String key) {
        return cache.get(key);
    }

    /**
     * What to answer about {@code job}: its status (202 while it runs, 200 with the result when done), or, if
     * it failed, its error as a 4xx/5xx (and the job is forgotten so that it can be asked again).
     */
    public Status answer(String key, Job job) {
        if (job.state() == State.FAILED) {
            synchronized (this) {
                cache.remove(key, job);
            }
            RuntimeException e = job.error;
            if (e instanceof ApiException a) throw a;
            if (e instanceof IllegalArgumentException) throw ApiException.badRequest(e.getMessage());
            throw new ApiException(500, "the computation failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : ""));
        }
        return job.status();
    }

    /** Stops the background thread (the server is shutting down). */
    public void stop() {
        worker.shutdownNow();
    }
}

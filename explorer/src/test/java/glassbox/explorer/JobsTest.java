package glassbox.explorer;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The background computations: one at a time, each started once, progress while running, errors answered once. */
class JobsTest {
    static void waitFor(Jobs.Job j, Jobs.State s) throws InterruptedException {
        for (int i = 0; i < 500 && j.state() != s; i++) Thread.sleep(10);
        assertEquals(s, j.state());
    }

    @Test
    void oneAtATimeStartedOnceWithProgress() throws Exception {
        Jobs jobs = new Jobs();
        CountDownLatch release = new CountDownLatch(1);
        Jobs.Job a = jobs.get("a", j -> {
            j.report(0.25, "a quarter");
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "A";
        });
        Jobs.Job b = jobs.get("b", j -> "B");
        assertSame(a, jobs.get("a", j -> "never run"), "the same key is the same computation");
        waitFor(a, Jobs.State.RUNNING);
        for (int i = 0; i < 100 && jobs.answer("a", a).progress() < 0.25; i++) Thread.sleep(10);
        Jobs.Status s = jobs.answer("a", a);
        assertEquals("running", s.status());
        assertEquals(0.25, s.progress());
        assertEquals("a quarter", s.task());
        assertNull(s.result());
        assertEquals("queued", jobs.answer("b", b).status(), "b waits for a");
        release.countDown();
        waitFor(b, Jobs.State.DONE);
        assertEquals("A", jobs.answer("a", a).result());
        assertEquals("B", jobs.answer("b", b).result());
        jobs.stop();
    }

    @Test
    void aFailureIsAnsweredOnceAndForgotten() throws Exception {
        Jobs jobs = new Jobs();
        Jobs.Job bad = jobs.get("bad", j -> {
            throw new IllegalArgumentException("perplexity too large for 5 points");
        });
        waitFor(bad, Jobs.State.FAILED);
        ApiException e = assertThrows(ApiException.class, () -> jobs.answer("bad", bad));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("perplexity"));
        assertNull(jobs.peek("bad"), "asked again, it is computed again");
        Jobs.Job crash = jobs.get("crash", j -> {
            throw new IllegalStateException("bug");
        });
        waitFor(crash, Jobs.State.FAILED);
        assertEquals(500, assertThrows(ApiException.class, () -> jobs.answer("crash", crash)).status());
        jobs.stop();
    }
}

package dev.friscy.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fair run queue: least virtual run time first, sleepers placed near the front, nice weights. */
class RunQueueTest {
    private static int nextTid = 100;

    private static Task task(int nice) {
        Task t = new Task(null, nextTid++);
        t.tg = new ThreadGroup(t.tid);
        t.tg.nice = nice;
        return t;
    }

    /** Runs the queue's next task for one slice (charging it) and queues it again. */
    private static Task runOne(RunQueue q) {
        Task t = q.poll();
        t.queued = false;
        RunQueue.charge(t, Kernel.QUANTUM);
        t.queued = true;
        q.add(t);
        return t;
    }

    @Test
    void equalTasksTakeTurns() {
        RunQueue q = new RunQueue();
        Task a = task(0), b = task(0);
        a.queued = b.queued = true;
        q.add(a);
        q.add(b);
        int na = 0;
        for (int i = 0; i < 100; i++) {
            if (runOne(q) == a) {
                na++;
            }
        }
        assertEquals(50, na);
    }

    @Test
    void niceWeightsShareTheCpuAsLinuxDoes() {
        RunQueue q = new RunQueue();
        Task normal = task(0), nice5 = task(5);
        normal.queued = nice5.queued = true;
        q.add(normal);
        q.add(nice5);
        int n = 0;
        for (int i = 0; i < 1000; i++) {
            if (runOne(q) == normal) {
                n++;
            }
        }
        // weights 1024 : 335, so about 75% for nice 0
        assertTrue(n > 730 && n < 780, "nice 0 ran " + n + " of 1000 slices");
    }

    @Test
    void aWokenSleeperRunsBeforeAHogButCannotBankCredit() {
        RunQueue q = new RunQueue();
        Task hog = task(0), sleeper = task(0);
        hog.queued = true;
        q.add(hog);
        for (int i = 0; i < 50; i++) {
            runOne(q); // only the hog runs while the sleeper sleeps
        }
        q.takeWoken();
        q.placeWoken(sleeper);
        assertEquals(hog.vruntime - Kernel.QUANTUM - Kernel.QUANTUM, sleeper.vruntime,
                "placed one slice behind the least virtual run time, not 50 slices behind");
        assertTrue(q.wokenAhead(hog, Kernel.QUANTUM / 2), "the woken sleeper ends the hog's slice");
        sleeper.queued = true;
        q.add(sleeper);
        assertSame(sleeper, q.poll());
        sleeper.queued = false;
        q.takeWoken();
        assertFalse(q.wokenAhead(hog, 0));
    }

    @Test
    void yieldGoesBehindEveryQueuedTask() {
        RunQueue q = new RunQueue();
        Task a = task(0), b = task(0), c = task(0);
        b.vruntime = 10;
        c.vruntime = 20;
        b.queued = c.queued = true;
        q.add(b);
        q.add(c);
        q.yieldBehind(a);
        a.queued = true;
        q.add(a);
        assertSame(b, q.poll());
        assertSame(c, q.poll());
        assertSame(a, q.poll());
    }

    @Test
    void aNewTaskStartsAtItsCreatorsTime() {
        RunQueue q = new RunQueue();
        Task parent = task(0), child = task(0);
        parent.vruntime = 12345;
        q.placeNew(child, parent.vruntime);
        assertEquals(12345, child.vruntime);
    }
}

package dev.friscy.kernel;

import java.util.PriorityQueue;

/**
 * The runnable tasks, ordered as Linux's fair scheduler orders them: by virtual run time, the
 * instructions a task has run scaled by its nice weight. The task that has had the least CPU
 * runs next. A task that slept comes back with at most {@link #SLEEPER_CREDIT} less than the
 * least of the others, so it runs soon after its wake-up (an echo server, a shell waiting for
 * a key, a reader of a pipe) instead of queueing behind every CPU-bound task for a full slice
 * each, and cannot bank sleep time to starve them later. Round robin, which this replaces, made
 * each hand-over of a TCP round trip wait a whole slice of a busy process (6-8 ms instead of
 * 40 us, guest/bench/rttbench MODE+hog).
 */
final class RunQueue {
    /** How far behind the least virtual run time a woken task may start: one slice. */
    static final long SLEEPER_CREDIT = Kernel.QUANTUM;
    /** A woken task ends the running one's slice early only when it is this far behind it. */
    static final long WAKEUP_GRANULARITY = Kernel.QUANTUM / 4;

    /** Linux's sched_prio_to_weight: nice -20..19; nice 0 weighs 1024, each step about 1.25x. */
    private static final int[] WEIGHT = {
        88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
        9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
        1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
        110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
    };

    private final PriorityQueue<Task> queue = new PriorityQueue<>(RunQueue::order);
    private long seq;
    /** Never decreases: the least virtual run time of the tasks that ran lately. */
    private long minVruntime;
    /** The least virtual run time of a task woken since {@link #takeWoken}; MAX_VALUE if none. */
    private long woken = Long.MAX_VALUE;

    private static int order(Task a, Task b) {
        int c = Long.compare(a.vruntime, b.vruntime);
        return c != 0 ? c : Long.compare(a.runSeq, b.runSeq);
    }

    void add(Task t) {
        t.runSeq = seq++;
        queue.add(t);
    }

    /** The task to run next, or null. */
    Task poll() {
        Task t = queue.poll();
        if (t != null && t.vruntime > minVruntime) {
            minVruntime = t.vruntime;
        }
        return t;
    }

    /** A task that was not runnable (blocked, stopped, new) is about to be queued again. */
    void placeWoken(Task t) {
        if (t.queued) {
            return; // already in the heap: its key must not change
        }
        long floor = minVruntime - SLEEPER_CREDIT;
        if (t.vruntime < floor) {
            t.vruntime = floor;
        }
        if (t.vruntime < woken) {
            woken = t.vruntime;
        }
    }

    /** A new task starts where the scheduler stands now, not at zero ahead of everyone. */
    void placeNew(Task t, long parentVruntime) {
        t.vruntime = Math.max(parentVruntime, minVruntime);
    }

    /** Charges {@code instructions} run by {@code t} to its virtual run time. */
    static void charge(Task t, long instructions) {
        int nice = t.tg == null ? 0 : t.tg.nice;
        int w = WEIGHT[Math.max(0, Math.min(39, nice + 20))];
        t.vruntime += w == 1024 ? instructions : instructions * 1024 / w;
    }

    /**
     * True if a task woken since the last call should run before {@code t}, which has run
     * {@code used} instructions of its slice: its virtual run time is well behind t's.
     */
    boolean wokenAhead(Task t, long used) {
        long w = woken;
        if (w == Long.MAX_VALUE) {
            return false;
        }
        return w + WAKEUP_GRANULARITY < t.vruntime + used;
    }

    /** Forgets the tasks woken so far (a new slice starts). */
    void takeWoken() {
        woken = Long.MAX_VALUE;
    }

    /** sched_yield: {@code t} goes behind every task queued now, as round robin would put it. */
    void yieldBehind(Task t) {
        long max = t.vruntime;
        for (Task o : queue) {
            if (o.vruntime > max) {
                max = o.vruntime;
            }
        }
        t.vruntime = max;
    }
}

package dev.friscy.kernel;

import java.util.ArrayList;

/**
 * Tasks parked until something happens (data in a pipe, a child's exit, a futex word).
 * A blocked task may sit on several queues at once (poll); waking it removes it from all.
 */
public final class WaitQueue {
    private final ArrayList<Task> waiters = new ArrayList<>(2);
    /** Counts wake-ups, waiters or not: edge-triggered epoll reports a description again after one. */
    public long wakeups;

    void add(Task t) {
        if (!waiters.contains(t)) {
            waiters.add(t);
        }
    }

    void remove(Task t) {
        waiters.remove(t);
    }

    public boolean isEmpty() {
        return waiters.isEmpty();
    }

    /** Wakes every waiter; each re-runs its system call and re-checks its condition. */
    public void wakeAll() {
        wakeups++;
        if (waiters.isEmpty()) {
            return;
        }
        Task[] ts = waiters.toArray(new Task[0]);
        for (Task t : ts) {
            t.kernel.wake(t);
        }
    }

    /** Wakes at most {@code n} waiters in arrival order; returns how many. */
    public int wake(int n) {
        wakeups++;
        int woken = 0;
        while (woken < n && !waiters.isEmpty()) {
            Task t = waiters.get(0);
            t.kernel.wake(t);
            woken++;
        }
        return woken;
    }

    /** Tasks currently waiting, oldest first (a snapshot). */
    public Task[] snapshot() {
        return waiters.toArray(new Task[0]);
    }
}

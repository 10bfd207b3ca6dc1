package dev.friscy.waiter;

import java.util.ArrayList;

/**
 * Waiters parked until something happens (data in a pipe, a child's exit, a futex word).
 * A waiter may sit on several queues at once (poll); waking it removes it from all of them,
 * which is the waiter's job ({@link Waiter#wakeUp}), not the queue's.
 */
public final class WaitQueue {
    private final ArrayList<Waiter> waiters = new ArrayList<>(2);
    /** Counts wake-ups, waiters or not: edge-triggered epoll reports a description again after one. */
    public long wakeups;

    public void add(Waiter w) {
        if (!waiters.contains(w)) {
            waiters.add(w);
        }
    }

    public void remove(Waiter w) {
        waiters.remove(w);
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
        Waiter[] ws = waiters.toArray(new Waiter[0]);
        for (Waiter w : ws) {
            w.wakeUp();
        }
    }

    /** Wakes at most {@code n} waiters in arrival order; returns how many. */
    public int wake(int n) {
        wakeups++;
        int woken = 0;
        while (woken < n && !waiters.isEmpty()) {
            Waiter w = waiters.get(0);
            w.wakeUp();
            woken++;
        }
        return woken;
    }

    /** Waiters currently parked, oldest first (a snapshot). */
    public Waiter[] snapshot() {
        return waiters.toArray(new Waiter[0]);
    }
}

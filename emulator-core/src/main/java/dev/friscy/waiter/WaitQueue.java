package dev.friscy.waiter;

import java.util.ArrayList;

/**
 * Waiters parked until something happens (data in a pipe, a child's exit, a futex word).
 * A waiter may sit on several queues at once (poll); waking it removes it from all of them,
 * which is the waiter's job ({@link Waiter#wakeUp}), not the queue's.
 *
 * Exclusive waiters (epoll_wait on an EPOLLEXCLUSIVE item) are Linux's WQ_FLAG_EXCLUSIVE
 * entries: a wake-up rouses every ordinary waiter but only the oldest exclusive one, so one
 * event does not stir a whole herd of processes waiting on the same file.
 */
public final class WaitQueue {
    private final ArrayList<Waiter> waiters = new ArrayList<>(2);
    private ArrayList<Exclusive> exclusive;

    private static final class Exclusive {
        final Waiter waiter;
        final Readiness ready;

        Exclusive(Waiter waiter, Readiness ready) {
            this.waiter = waiter;
            this.ready = ready;
        }
    }
    /** Counts wake-ups, waiters or not: edge-triggered epoll reports a description again after one. */
    public long wakeups;

    public void add(Waiter w) {
        if (!waiters.contains(w)) {
            waiters.add(w);
        }
    }

    /**
     * Parks {@code w} as an exclusive waiter for what {@code ready} tells, unless it already
     * waits here as an ordinary one. A waiter may hold several exclusive entries (several items).
     */
    public void addExclusive(Waiter w, Readiness ready) {
        if (waiters.contains(w)) {
            return;
        }
        if (exclusive == null) {
            exclusive = new ArrayList<>(2);
        }
        exclusive.add(new Exclusive(w, ready));
    }

    public void remove(Waiter w) {
        waiters.remove(w);
        if (exclusive != null) {
            for (int i = exclusive.size() - 1; i >= 0; i--) {
                if (exclusive.get(i).waiter == w) {
                    exclusive.remove(i);
                }
            }
        }
    }

    public boolean isEmpty() {
        return waiters.isEmpty() && (exclusive == null || exclusive.isEmpty());
    }

    /**
     * Wakes every ordinary waiter and the oldest exclusive one; each re-runs its system call and
     * re-checks its condition. An exclusive waiter that finds nothing parks again at the back.
     */
    public void wakeAll() {
        wakeups++;
        if (!waiters.isEmpty()) {
            Waiter[] ws = waiters.toArray(new Waiter[0]);
            for (Waiter w : ws) {
                w.wakeUp();
            }
        }
        if (exclusive != null && !exclusive.isEmpty()) {
            // the oldest waiter the event satisfies; if none looks satisfied (the waker changes
            // state after waking), the oldest, so a wake-up is never lost entirely
            Exclusive pick = exclusive.get(0);
            for (Exclusive e : exclusive) {
                if (e.ready.ready()) {
                    pick = e;
                    break;
                }
            }
            Waiter w = pick.waiter;
            remove(w);
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
        if (exclusive == null || exclusive.isEmpty()) {
            return waiters.toArray(new Waiter[0]);
        }
        ArrayList<Waiter> all = new ArrayList<>(waiters);
        for (Exclusive e : exclusive) {
            if (!all.contains(e.waiter)) {
                all.add(e.waiter);
            }
        }
        return all.toArray(new Waiter[0]);
    }
}

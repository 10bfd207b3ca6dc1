package dev.friscy.kernel;

import dev.friscy.waiter.WaitQueue;

import java.util.HashMap;

/**
 * Futex wait queues, keyed as Linux keys them: a futex word in private memory by (address
 * space, address); a shared futex in a MAP_SHARED mapping by (the page, offset in it), so
 * processes that map the same memory meet on it whatever address each maps it at.
 */
public final class Futexes {
    private static final class Key {
        /** The AddressSpace, or the shared Page. */
        final Object owner;
        final long addr;

        Key(Object owner, long addr) {
            this.owner = owner;
            this.addr = addr;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).owner == owner && ((Key) o).addr == addr;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(owner) * 31 + Long.hashCode(addr);
        }
    }

    private final HashMap<Key, WaitQueue> queues = new HashMap<>();

    /** A task in a futex wait: where it waits now (requeue moves it), and what may wake it. */
    static final class Waiter {
        WaitQueue queue;
        /** The word's user address (re-read after a spurious wake), and its queue's key. */
        long uaddr;
        Object keyOwner;
        long keyAddr;
        int bitset;
        /** Absolute host-clock deadline, or -1. */
        long deadline;
        /** Set by a futex wake: the wait returns 0. */
        boolean woken;
        /** futex_waitv: the queues of all its words (queue is null then), and which one a wake came through. */
        WaitQueue[] queues;
        int wokenIndex;
    }

    /** Tasks in (or just woken from) a futex wait. */
    private final HashMap<Task, Waiter> waiters = new HashMap<>();
    private int sweepAt = 64;

    Waiter waiter(Task t) {
        return waiters.get(t);
    }

    Waiter startWait(Task t) {
        if (waiters.size() >= sweepAt) {
            // entries of tasks that died in a wait, or were interrupted and never waited again
            waiters.keySet().removeIf(o -> o.state == Task.DEAD || (o.state != Task.BLOCKED && !o.restarting));
            sweepAt = Math.max(64, waiters.size() * 2);
        }
        Waiter w = new Waiter();
        waiters.put(t, w);
        return w;
    }

    void endWait(Task t) {
        waiters.remove(t);
    }

    public WaitQueue queue(Object as, long addr) {
        Key k = new Key(as, addr);
        WaitQueue q = queues.get(k);
        if (q == null) {
            q = new WaitQueue();
            queues.put(k, q);
        }
        return q;
    }

    public WaitQueue existing(Object as, long addr) {
        return queues.get(new Key(as, addr));
    }

    /** Drops empty queues so the map does not grow without end. */
    public void tidy(Object as, long addr) {
        Key k = new Key(as, addr);
        WaitQueue q = queues.get(k);
        if (q != null && q.isEmpty()) {
            queues.remove(k);
        }
    }
}

package dev.friscy.kernel;

import dev.friscy.mem.AddressSpace;

import java.util.HashMap;

/**
 * Futex wait queues keyed by (address space, address) for private futexes; shared futexes on
 * MAP_SHARED memory are keyed the same way here, which is exact for threads and for
 * processes that share memory through one mapping address.
 */
public final class Futexes {
    private static final class Key {
        final AddressSpace as;
        final long addr;

        Key(AddressSpace as, long addr) {
            this.as = as;
            this.addr = addr;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).as == as && ((Key) o).addr == addr;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(as) * 31 + Long.hashCode(addr);
        }
    }

    private final HashMap<Key, WaitQueue> queues = new HashMap<>();

    /** A task in a futex wait: where it waits now (requeue moves it), and what may wake it. */
    static final class Waiter {
        WaitQueue queue;
        AddressSpace as;
        long addr;
        int bitset;
        /** Absolute host-clock deadline, or -1. */
        long deadline;
        /** Set by a futex wake: the wait returns 0. */
        boolean woken;
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

    public WaitQueue queue(AddressSpace as, long addr) {
        Key k = new Key(as, addr);
        WaitQueue q = queues.get(k);
        if (q == null) {
            q = new WaitQueue();
            queues.put(k, q);
        }
        return q;
    }

    public WaitQueue existing(AddressSpace as, long addr) {
        return queues.get(new Key(as, addr));
    }

    /** Drops empty queues so the map does not grow without end. */
    public void tidy(AddressSpace as, long addr) {
        Key k = new Key(as, addr);
        WaitQueue q = queues.get(k);
        if (q != null && q.isEmpty()) {
            queues.remove(k);
        }
    }
}

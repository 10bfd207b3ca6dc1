package dev.friscy.fs;

import dev.friscy.waiter.WaitQueue;

import java.util.ArrayList;

/**
 * The file leases on one inode (fcntl F_SETLEASE), as Linux's fs/locks.c keeps them: one per
 * open file description, read or write; an open that conflicts starts a break (the holder is
 * signalled and has the lease-break time to give way) and waits for it, or fails with EAGAIN
 * when non-blocking.
 */
public final class Leases {
    /** One description's lease. */
    public static final class Lease {
        public final FileDescription file;
        /** FileLocks.F_RDLCK or F_WRLCK. */
        public int type;
        /** While breaking: what the lease is to become (F_RDLCK or F_UNLCK); -1 when not breaking. */
        public int breakingTo = -1;
        /** When a break times out and the kernel does it itself (monotonic ns). */
        public long breakDeadlineNs;

        Lease(FileDescription file, int type) {
            this.file = file;
            this.type = type;
        }

        /** What F_GETLEASE reports: the target while breaking. */
        public int reported() {
            return breakingTo >= 0 ? breakingTo : type;
        }
    }

    public final ArrayList<Lease> list = new ArrayList<>(2);
    /** Openers waiting for a break to finish. */
    public final WaitQueue breakWaiters = new WaitQueue();

    public Lease of(FileDescription f) {
        for (Lease l : list) {
            if (l.file == f) {
                return l;
            }
        }
        return null;
    }

    public Lease add(FileDescription f, int type) {
        Lease l = new Lease(f, type);
        list.add(l);
        return l;
    }

    public void remove(Lease l) {
        list.remove(l);
        breakWaiters.wakeAll();
    }

    /** A breaking lease became its target: read leases stay, unlocked ones go. */
    public void finishBreak(Lease l) {
        if (l.breakingTo == FileLocks.F_RDLCK) {
            l.type = FileLocks.F_RDLCK;
            l.breakingTo = -1;
            breakWaiters.wakeAll();
        } else {
            remove(l);
        }
    }

    /** Breaks whose time ran out are done by the kernel (Linux's time_out_leases). */
    public void timeOut(long nowNs) {
        for (Lease l : new ArrayList<>(list)) {
            if (l.breakingTo >= 0 && nowNs - l.breakDeadlineNs >= 0) {
                finishBreak(l);
            }
        }
    }

    /** The description closed: its lease goes. */
    public void release(FileDescription f) {
        Lease l = of(f);
        if (l != null) {
            remove(l);
        }
    }

    /** Earliest deadline of a break in progress, or -1. */
    public long nextDeadline() {
        long d = -1;
        for (Lease l : list) {
            if (l.breakingTo >= 0 && (d < 0 || l.breakDeadlineNs < d)) {
                d = l.breakDeadlineNs;
            }
        }
        return d;
    }
}

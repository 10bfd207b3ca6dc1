package dev.friscy.fs;

import dev.friscy.kernel.ThreadGroup;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayList;

/**
 * The locks held on one inode: fcntl byte-range locks (owned by a process for F_SETLK, by an
 * open description for F_OFD_SETLK) and flock(2) locks (owned by an open description).
 * Locks of processes that have exited are ignored and dropped lazily, so the exit path need
 * not know about them.
 */
public final class FileLocks {
    public static final int F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;

    /** A byte-range lock on [start, end] (end inclusive; Long.MAX_VALUE = to end of file). */
    public static final class Range {
        public final Object owner;
        public final boolean write;
        public long start;
        public long end;
        public final int pid;

        Range(Object owner, boolean write, long start, long end, int pid) {
            this.owner = owner;
            this.write = write;
            this.start = start;
            this.end = end;
            this.pid = pid;
        }
    }

    private final ArrayList<Range> ranges = new ArrayList<>();
    private final ArrayList<FileDescription> flockShared = new ArrayList<>();
    private FileDescription flockExclusive;
    /** Tasks in F_SETLKW or blocking flock wait here; any release wakes them to retry. */
    public final WaitQueue waiters = new WaitQueue();
    /** fcntl F_SETLEASE leases, made on first use. */
    public Leases leases;

    private static boolean alive(Object owner) {
        return !(owner instanceof ThreadGroup) || !((ThreadGroup) owner).isZombie();
    }

    private void purgeDead() {
        boolean changed = ranges.removeIf(r -> !alive(r.owner));
        if (changed) {
            waiters.wakeAll();
        }
    }

    /** The lowest-starting lock of another owner that conflicts with the wanted one, or null. */
    public Range conflict(Object owner, boolean write, long start, long end) {
        purgeDead();
        Range best = null;
        for (Range r : ranges) {
            if (r.owner != owner && (write || r.write) && r.start <= end && start <= r.end
                    && (best == null || r.start < best.start)) {
                best = r;
            }
        }
        return best;
    }

    /** Sets (F_RDLCK/F_WRLCK) or clears (F_UNLCK) {@code owner}'s lock on [start, end]; no conflict check. */
    public void set(Object owner, int pid, int type, long start, long end) {
        ArrayList<Range> add = new ArrayList<>();
        for (int i = ranges.size() - 1; i >= 0; i--) {
            Range r = ranges.get(i);
            if (r.owner != owner || r.end < start || r.start > end) {
                continue;
            }
            ranges.remove(i);
            if (r.start < start) {
                add.add(new Range(owner, r.write, r.start, start - 1, r.pid));
            }
            if (r.end > end) {
                add.add(new Range(owner, r.write, end + 1, r.end, r.pid));
            }
        }
        ranges.addAll(add);
        if (type != F_UNLCK) {
            Range n = new Range(owner, type == F_WRLCK, start, end, pid);
            // merge with touching ranges of the same owner and type
            for (int i = ranges.size() - 1; i >= 0; i--) {
                Range r = ranges.get(i);
                if (r.owner == owner && r.write == n.write
                        && (r.end != Long.MAX_VALUE && r.end + 1 == n.start || n.end != Long.MAX_VALUE && n.end + 1 == r.start)) {
                    n.start = Math.min(n.start, r.start);
                    n.end = Math.max(n.end, r.end);
                    ranges.remove(i);
                }
            }
            ranges.add(n);
        }
        waiters.wakeAll();
    }

    /** Drops every byte-range lock of {@code owner} (a process closing any fd of the file). */
    public void releaseOwner(Object owner) {
        if (ranges.removeIf(r -> r.owner == owner)) {
            waiters.wakeAll();
        }
    }

    /** The last reference to {@code f} went away: its OFD and flock locks go with it. */
    public void releaseDescription(FileDescription f) {
        if (leases != null) {
            leases.release(f);
        }
        boolean changed = ranges.removeIf(r -> r.owner == f);
        changed |= flockShared.remove(f);
        if (flockExclusive == f) {
            flockExclusive = null;
            changed = true;
        }
        if (changed) {
            waiters.wakeAll();
        }
    }

    /** flock: returns false if the lock is held by another description (caller blocks or fails). */
    public boolean flock(FileDescription f, boolean exclusive) {
        if (exclusive) {
            if ((flockExclusive != null && flockExclusive != f) || flockShared.size() > (flockShared.contains(f) ? 1 : 0)) {
                return false;
            }
            flockShared.remove(f);
            flockExclusive = f;
        } else {
            if (flockExclusive != null && flockExclusive != f) {
                return false;
            }
            if (flockExclusive == f) {
                flockExclusive = null;
                waiters.wakeAll();
            }
            if (!flockShared.contains(f)) {
                flockShared.add(f);
            }
        }
        return true;
    }

    /** LOCK_UN: drops {@code f}'s flock lock, if any. */
    public void funlock(FileDescription f) {
        boolean changed = flockShared.remove(f);
        if (flockExclusive == f) {
            flockExclusive = null;
            changed = true;
        }
        if (changed) {
            waiters.wakeAll();
        }
    }
}

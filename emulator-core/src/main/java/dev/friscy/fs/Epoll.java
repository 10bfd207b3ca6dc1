package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.waiter.Readiness;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * An epoll instance: the interest list of (fd, open file description) pairs and the rules for
 * reporting them. Readiness is computed on demand from each description's {@link #poll()};
 * a waiter sleeps on every watched description's wait queue and looks again when woken.
 *
 * Level-triggered items are reported while ready (moved to the back after each report, so a
 * small maxevents still gets round all of them). Edge-triggered items are reported when ready
 * and their description's wait queue has been woken since the last report, which is when
 * something happened to them. One-shot items are disabled after a report until EPOLL_CTL_MOD.
 * An item goes away when its description is released (all fds to it closed), as on Linux.
 */
public final class Epoll extends FileDescription {
    public static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLWAKEUP = 1 << 29;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;
    static final int PRIVATE_BITS = EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET;
    /** Linux's limit on epoll-in-epoll nesting. */
    static final int MAX_NESTS = 4;

    private static final class Key {
        final int fd;
        final FileDescription file;

        Key(int fd, FileDescription file) {
            this.fd = fd;
            this.file = file;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).fd == fd && ((Key) o).file == file;
        }

        @Override
        public int hashCode() {
            return fd * 31 + System.identityHashCode(file);
        }
    }

    private static final class Item implements Readiness {
        final Key key;
        int events;
        long data;
        /** ET: the description's wait-queue wake-up count at the last report (-1: report the first time). */
        long seen = -1;

        Item(Key key) {
            this.key = key;
        }

        /** An exclusive wait's test at wake-up time: would this item be reported now? */
        @Override
        public boolean ready() {
            return pending(this) != 0;
        }
    }

    private final LinkedHashMap<Key, Item> items = new LinkedHashMap<>();
    /** Woken when the interest list changes, so a waiter looks at new items. */
    private final WaitQueue changes = new WaitQueue();
    private static long nextIno = 1;
    private final long ino = nextIno++;

    public Epoll(int flags) {
        super(OpenFlags.O_RDWR | flags);
    }

    public int size() {
        return items.size();
    }

    /** epoll_ctl on this instance for {@code fd} (which refers to {@code file}). */
    public void control(int op, int fd, FileDescription file, int events, long data) {
        if (file == this) {
            throw new SyscallError(Errno.EINVAL);
        }
        Inode ino = file.inode();
        if (ino != null && (ino.isRegular() || ino.isDir())) {
            throw new SyscallError(Errno.EPERM); // they are always ready: Linux refuses to watch them
        }
        if ((events & EPOLLEXCLUSIVE) != 0) {
            if (op == EPOLL_CTL_MOD || (events & EPOLLONESHOT) != 0 || file instanceof Epoll) {
                throw new SyscallError(Errno.EINVAL);
            }
        }
        events &= ~EPOLLWAKEUP; // needs CAP_BLOCK_SUSPEND; Linux silently drops it
        Key k = new Key(fd, file);
        Item it = items.get(k);
        switch (op) {
            case EPOLL_CTL_ADD:
                if (it != null) {
                    throw new SyscallError(Errno.EEXIST);
                }
                if (file instanceof Epoll && (((Epoll) file).reaches(this, 0) || ((Epoll) file).depth(0) >= MAX_NESTS)) {
                    throw new SyscallError(Errno.ELOOP);
                }
                it = new Item(k);
                it.events = events | Poll.ERR | Poll.HUP;
                it.data = data;
                items.put(k, it);
                break;
            case EPOLL_CTL_MOD:
                if (it == null) {
                    throw new SyscallError(Errno.ENOENT);
                }
                if ((it.events & EPOLLEXCLUSIVE) != 0) {
                    throw new SyscallError(Errno.EINVAL);
                }
                it.events = events | Poll.ERR | Poll.HUP;
                it.data = data;
                it.seen = -1;
                break;
            case EPOLL_CTL_DEL:
                if (it == null) {
                    throw new SyscallError(Errno.ENOENT);
                }
                items.remove(k);
                break;
            default:
                throw new SyscallError(Errno.EINVAL);
        }
        changes.wakeAll();
    }

    /** True if {@code target} is this instance or is watched through it. */
    private boolean reaches(Epoll target, int depth) {
        if (this == target) {
            return true;
        }
        if (depth > MAX_NESTS) {
            return false;
        }
        for (Item it : items.values()) {
            if (it.key.file instanceof Epoll && ((Epoll) it.key.file).reaches(target, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private int depth(int d) {
        int max = d;
        if (d > MAX_NESTS) {
            return d;
        }
        for (Item it : items.values()) {
            if (it.key.file instanceof Epoll) {
                max = Math.max(max, ((Epoll) it.key.file).depth(d + 1));
            }
        }
        return max;
    }

    private void dropReleased() {
        if (items.isEmpty()) {
            return;
        }
        ArrayList<Key> dead = null;
        for (Key k : items.keySet()) {
            if (k.file.refCount() <= 0) {
                if (dead == null) {
                    dead = new ArrayList<>();
                }
                dead.add(k);
            }
        }
        if (dead != null) {
            for (Key k : dead) {
                items.remove(k);
            }
        }
    }

    private static long wakeups(FileDescription f) {
        WaitQueue q = f.waitQueue();
        return q == null ? 0 : q.wakeups;
    }

    /** The events {@code it} would report now (0 if none), without changing any state. */
    private static int pending(Item it) {
        int want = it.events & ~PRIVATE_BITS;
        if (it.seen == -2) {
            return 0; // a one-shot item that has fired: disabled until EPOLL_CTL_MOD
        }
        int ready = it.key.file.poll() & want;
        if (ready == 0) {
            return 0;
        }
        if ((it.events & EPOLLET) != 0 && it.seen == wakeups(it.key.file)) {
            return 0;
        }
        return ready;
    }

    /**
     * Takes up to {@code max} reports: {@code events[i]}, {@code data[i]}. Applies the
     * edge-triggered and one-shot rules to what it reports. Returns how many.
     */
    public int harvest(int max, int[] events, long[] data) {
        dropReleased();
        int n = 0;
        ArrayList<Item> again = null;
        for (Item it : items.values().toArray(new Item[0])) {
            if (n >= max) {
                break;
            }
            int ready = pending(it);
            if (ready == 0) {
                continue;
            }
            events[n] = ready;
            data[n] = it.data;
            n++;
            if ((it.events & EPOLLONESHOT) != 0) {
                it.seen = -2;
            } else if ((it.events & EPOLLET) != 0) {
                it.seen = wakeups(it.key.file);
            } else {
                if (again == null) {
                    again = new ArrayList<>();
                }
                again.add(it);
            }
        }
        if (again != null) {
            for (Item it : again) {
                items.remove(it.key);
                items.put(it.key, it);
            }
        }
        return n;
    }

    @Override
    public int poll() {
        dropReleased();
        for (Item it : items.values()) {
            if (pending(it) != 0) {
                return Poll.IN | Poll.RDNORM;
            }
        }
        return 0;
    }

    /** Every wait queue whose wake-up could make this instance ready. */
    public void collectQueues(ArrayList<WaitQueue> out, int depth) {
        collectQueues(out, null, null, depth);
    }

    /**
     * As {@link #collectQueues(ArrayList, int)}, but the queues of this instance's EPOLLEXCLUSIVE
     * items go to {@code exclusive} (when not null), each with its item's {@link Readiness} in
     * {@code ready}, for an exclusive wait. A queue an ordinary item also needs is waited on
     * ordinarily, as Linux's ordinary entry there wakes the task anyway; instances nested inside
     * are always waited on ordinarily.
     */
    public void collectQueues(ArrayList<WaitQueue> out, ArrayList<WaitQueue> exclusive, ArrayList<Readiness> ready,
                              int depth) {
        out.add(changes);
        if (depth > MAX_NESTS) {
            return;
        }
        for (Item it : items.values()) {
            FileDescription f = it.key.file;
            if (f instanceof Epoll) {
                ((Epoll) f).collectQueues(out, null, null, depth + 1);
            } else {
                WaitQueue q = f.waitQueue();
                if (q == null) {
                    continue;
                }
                if (exclusive != null && (it.events & EPOLLEXCLUSIVE) != 0) {
                    exclusive.add(q);
                    ready.add(it);
                } else {
                    out.add(q);
                }
            }
        }
        if (exclusive != null) {
            for (int i = exclusive.size() - 1; i >= 0; i--) {
                if (out.contains(exclusive.get(i))) {
                    exclusive.remove(i);
                    ready.remove(i);
                }
            }
        }
    }

    @Override
    public WaitQueue waitQueue() {
        return changes;
    }

    @Override
    public void stat(Stat st) {
        AnonInode.stat(st, ino);
    }

    @Override
    public boolean isAnonInode() {
        return true;
    }

    @Override
    public String describe() {
        return "anon_inode:[eventpoll]";
    }
}

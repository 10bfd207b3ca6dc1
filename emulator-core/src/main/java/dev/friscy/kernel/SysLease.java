package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FdTable;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.FileLocks;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Leases;
import dev.friscy.fs.OpenFlags;

import java.util.IdentityHashMap;

/**
 * File leases (fcntl F_SETLEASE / F_GETLEASE) and their breaking by open(2), as Linux's
 * fs/locks.c: a read lease needs the file open for writing nowhere, a write lease needs it
 * open nowhere else; an open that conflicts signals the holder (SIGIO or its F_SETSIG signal)
 * and fails with EAGAIN if non-blocking, else waits until the holder gives way or the
 * lease-break time (/proc/sys/fs/lease-break-time, 45 s) runs out.
 */
final class SysLease {
    static final int F_SETLEASE = 1024, F_GETLEASE = 1025;

    private SysLease() {
    }

    private static Leases leases(Inode i, boolean create) {
        if (i.locks == null) {
            if (!create) {
                return null;
            }
            i.locks = new FileLocks();
        }
        if (i.locks.leases == null && create) {
            i.locks.leases = new Leases();
        }
        return i.locks.leases;
    }

    static long setLease(Task t, FileDescription f, long arg) {
        int type = (int) arg;
        if (arg != FileLocks.F_RDLCK && arg != FileLocks.F_WRLCK && arg != FileLocks.F_UNLCK) {
            throw new SyscallError(Errno.EINVAL);
        }
        Inode i = f.inode();
        if (i == null) {
            throw new SyscallError(Errno.EINVAL);
        }
        Credentials c = t.cred();
        if (c.fsuid != i.uid && !c.isRoot()) {
            throw new SyscallError(Errno.EACCES);
        }
        if (!i.isRegular()) {
            throw new SyscallError(Errno.EINVAL);
        }
        Leases ls = leases(i, true);
        ls.timeOut(t.kernel.nowNs());
        Leases.Lease mine = ls.of(f);
        if (type == FileLocks.F_UNLCK) {
            if (mine == null) {
                throw new SyscallError(Errno.EAGAIN);
            }
            ls.remove(mine);
            return 0;
        }
        int[] opens = opens(t.kernel, i, f);
        boolean selfWrites = OpenFlags.writable(f.flags);
        if (type == FileLocks.F_RDLCK ? opens[1] > 0 || selfWrites : opens[0] > 0 || opens[1] > 0) {
            throw new SyscallError(Errno.EAGAIN); // open for writing (read lease), open at all elsewhere (write lease)
        }
        for (Leases.Lease l : ls.list) {
            if (l != mine && (type == FileLocks.F_WRLCK || l.breakingTo >= 0)) {
                throw new SyscallError(Errno.EAGAIN);
            }
        }
        if (mine != null) {
            mine.type = type;
            if (mine.breakingTo == FileLocks.F_RDLCK && type == FileLocks.F_RDLCK) {
                mine.breakingTo = -1;
            }
            ls.breakWaiters.wakeAll();
        } else {
            ls.add(f, type);
        }
        // the holder becomes the description's owner if it has none: the break signal is for it
        if (f.ownerId == 0) {
            f.ownerType = SysLock.F_OWNER_PID;
            f.ownerId = t.tg.pid;
        }
        return 0;
    }

    static long getLease(Task t, FileDescription f) {
        Inode i = f.inode();
        Leases ls = i == null ? null : leases(i, false);
        if (ls == null) {
            return FileLocks.F_UNLCK;
        }
        ls.timeOut(t.kernel.nowNs());
        Leases.Lease l = ls.of(f);
        return l == null ? FileLocks.F_UNLCK : l.reported();
    }

    /**
     * Descriptions of {@code i} open in any process other than {@code self}: {read-only, writable}.
     * Linux keeps counts on the inode; here the fd tables are walked, only when a lease is asked for.
     */
    private static int[] opens(Kernel k, Inode i, FileDescription self) {
        IdentityHashMap<FileDescription, Boolean> seen = new IdentityHashMap<>();
        int[] n = new int[2];
        for (ThreadGroup g : k.processes()) {
            for (Task task : g.tasks) {
                FdTable ft = task.files;
                if (ft == null) {
                    continue;
                }
                for (int fd = 0; fd < ft.size(); fd++) {
                    FileDescription d = ft.getOrNull(fd);
                    if (d == null || d == self || d.inode() != i || (d.flags & OpenFlags.O_PATH) != 0
                            || seen.put(d, Boolean.TRUE) != null) {
                        continue;
                    }
                    n[OpenFlags.writable(d.flags) ? 1 : 0]++;
                }
            }
        }
        return n;
    }

    /**
     * An open of {@code i} with {@code flags} (O_TRUNC counting as writing) breaks the leases it
     * conflicts with. Returns false when the open may go on; throws EAGAIN for a non-blocking
     * open; returns true after parking the opener until the break is done (the open re-runs).
     */
    static boolean breakOnOpen(Task t, Inode i, int flags) {
        Leases ls = leases(i, false);
        if (ls == null || ls.list.isEmpty()) {
            return false;
        }
        Kernel k = t.kernel;
        long now = k.nowNs();
        ls.timeOut(now);
        boolean write = (flags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY || (flags & OpenFlags.O_TRUNC) != 0;
        boolean conflict = false;
        for (Leases.Lease l : ls.list) {
            if (!write && l.type != FileLocks.F_WRLCK) {
                continue;
            }
            conflict = true;
            if (write ? l.breakingTo == FileLocks.F_UNLCK : l.breakingTo >= 0) {
                continue; // already being broken
            }
            l.breakingTo = write ? FileLocks.F_UNLCK : FileLocks.F_RDLCK;
            l.breakDeadlineNs = now + Math.max(0, k.sysctl.leaseBreakTime) * 1_000_000_000L;
            FileOwner.signal(k, l.file, FileOwner.POLL_MSG);
        }
        if (!conflict) {
            return false;
        }
        if ((flags & OpenFlags.O_NONBLOCK) != 0) {
            throw new SyscallError(Errno.EAGAIN);
        }
        k.block(t, ls.nextDeadline(), ls.breakWaiters);
        return true;
    }
}

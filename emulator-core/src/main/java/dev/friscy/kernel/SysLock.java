package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.FileLocks;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.RegularFile;
import dev.friscy.fs.Seals;

/**
 * File locking: flock(2), and fcntl's POSIX record locks (owned by the process) and open file
 * description locks (F_OFD_*, owned by the description). Waiters park on the inode's lock
 * queue and retry when any lock on it is released.
 */
final class SysLock {
    static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    static final int F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_SETOWN = 8, F_GETOWN = 9, F_SETSIG = 10, F_GETSIG = 11,
            F_SETOWN_EX = 15, F_GETOWN_EX = 16, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38,
            F_GETLEASE = 1025, F_CREATED_QUERY = 1028, F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
    static final int F_OWNER_TID = 0, F_OWNER_PID = 1, F_OWNER_PGRP = 2;
    /** Linux follows a chain of blocked lock owners this far looking for a deadlock. */
    static final int MAX_DEADLK_ITERATIONS = 10;

    private SysLock() {
    }

    static long sys_flock(Task task, long fd, long op, long a2, long a3, long a4, long a5) {
        return flock(task, (int) fd, (int) op);
    }

    private static FileLocks locks(Inode i) {
        if (i.locks == null) {
            i.locks = new FileLocks();
        }
        return i.locks;
    }

    static long flock(Task t, int fd, int op) {
        FileDescription f = t.files.get(fd);
        if ((f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        int kind = op & ~LOCK_NB;
        if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN) {
            throw new SyscallError(Errno.EINVAL);
        }
        Inode i = f.inode();
        if (i == null) {
            return 0; // pipes and the terminal: nobody else can lock them through a name
        }
        FileLocks l = locks(i);
        if (kind == LOCK_UN) {
            l.funlock(f);
            return 0;
        }
        if (l.flock(f, kind == LOCK_EX)) {
            return 0;
        }
        if ((op & LOCK_NB) != 0) {
            throw new SyscallError(Errno.EAGAIN);
        }
        return t.kernel.block(t, -1, l.waiters);
    }

    static long fcntl(Task t, FileDescription f, int fd, int cmd, long arg) {
        switch (cmd) {
            case F_GETLK:
            case F_SETLK:
            case F_SETLKW:
            case F_OFD_GETLK:
            case F_OFD_SETLK:
            case F_OFD_SETLKW:
                return recordLock(t, f, cmd, arg);
            // the owner is kept and reported; a lease break signals it (SysLease)
            case F_GETOWN:
                return f.ownerType == F_OWNER_PGRP ? -f.ownerId : f.ownerId;
            case F_SETOWN: {
                int who = (int) arg;
                setOwner(t, f, who < 0 ? F_OWNER_PGRP : F_OWNER_PID, who < 0 ? -who : who);
                return 0;
            }
            case F_GETOWN_EX: {
                byte[] b = new byte[8];
                SysvIpc.put32(b, 0, f.ownerType);
                SysvIpc.put32(b, 4, f.ownerId);
                UserMemory.write(t, arg, b);
                return 0;
            }
            case F_SETOWN_EX: {
                int type = UserMemory.load32(t, arg);
                int id = UserMemory.load32(t, arg + 4);
                if (type != F_OWNER_TID && type != F_OWNER_PID && type != F_OWNER_PGRP) {
                    throw new SyscallError(Errno.EINVAL);
                }
                setOwner(t, f, type, id);
                return 0;
            }
            case F_GETSIG:
                return f.ioSignal;
            case F_SETSIG:
                if (arg < 0 || arg > Signals.NSIG) {
                    throw new SyscallError(Errno.EINVAL);
                }
                f.ioSignal = (int) arg;
                return 0;
            case F_CREATED_QUERY:
                return f.created ? 1 : 0;
            case SysLease.F_SETLEASE: {
                long r = SysLease.setLease(t, f, arg);
                f.asyncFd = fd; // the break's F_SETSIG signal names this fd, as Linux's lease fasync does
                return r;
            }
            case F_GETLEASE:
                return SysLease.getLease(t, f);
            case F_ADD_SEALS:
                return addSeals(t, f, (int) arg);
            case F_GET_SEALS: {
                Inode i = f.inode();
                if (i == null || !i.isRegular()) {
                    throw new SyscallError(Errno.EINVAL);
                }
                return i.seals < 0 ? Seals.SEAL : i.seals;
            }
            default:
                throw new SyscallError(Errno.EINVAL);
        }
    }

    /** F_SETOWN(_EX): the pid, tid or group must exist (ESRCH); 0 clears the owner. */
    private static void setOwner(Task t, FileDescription f, int type, int id) {
        Kernel k = t.kernel;
        if (id != 0) {
            boolean exists;
            if (type == F_OWNER_TID) {
                Task o = k.task(id);
                exists = o != null && o.state != Task.DEAD;
            } else if (type == F_OWNER_PID) {
                exists = k.process(id) != null;
            } else {
                exists = false;
                for (ThreadGroup g : k.processes()) {
                    if (g.pgid == id && !g.isZombie()) {
                        exists = true;
                        break;
                    }
                }
            }
            if (!exists) {
                throw new SyscallError(Errno.ESRCH);
            }
        }
        f.ownerType = type;
        f.ownerId = id;
    }

    /**
     * Would {@code me} waiting for a lock of {@code holder} close a cycle of processes each
     * waiting for the next one's POSIX lock? (Linux's posix_locks_deadlock.)
     */
    private static boolean deadlock(Kernel k, ThreadGroup me, Object holder) {
        for (int i = 0; i < MAX_DEADLK_ITERATIONS && holder instanceof ThreadGroup; i++) {
            Object next = null;
            for (Task o : ((ThreadGroup) holder).tasks) {
                Object w = k.lockWaits.get(o);
                if (w != null && o.state == Task.BLOCKED) {
                    next = w;
                    break;
                }
            }
            if (next == me) {
                return true;
            }
            holder = next;
        }
        return false;
    }

    private static long recordLock(Task t, FileDescription f, int cmd, long arg) {
        t.kernel.lockWaits.remove(t); // waits again below if it must
        if ((f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        boolean ofd = cmd >= F_OFD_GETLK;
        int type = (short) UserMemory.load(t, arg, 2);
        int whence = (short) UserMemory.load(t, arg + 2, 2);
        long lStart = UserMemory.load64(t, arg + 8);
        long lLen = UserMemory.load64(t, arg + 16);
        int lPid = UserMemory.load32(t, arg + 24);
        if (ofd && lPid != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (type != FileLocks.F_RDLCK && type != FileLocks.F_WRLCK && type != FileLocks.F_UNLCK) {
            throw new SyscallError(Errno.EINVAL);
        }
        Inode i = f.inode();
        if (i == null) {
            throw new SyscallError(Errno.EINVAL);
        }
        long base;
        switch (whence) {
            case RegularFile.SEEK_SET:
                base = 0;
                break;
            case RegularFile.SEEK_CUR:
                base = f.offset;
                break;
            case RegularFile.SEEK_END:
                base = i.size;
                break;
            default:
                throw new SyscallError(Errno.EINVAL);
        }
        long start = base + lStart;
        long end;
        if (lLen > 0) {
            end = start + lLen - 1;
            if (end < start) {
                throw new SyscallError(Errno.EOVERFLOW);
            }
        } else if (lLen == 0) {
            end = Long.MAX_VALUE;
        } else {
            end = start - 1;
            start += lLen;
        }
        if (start < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        Object owner = ofd ? f : t.tg;
        FileLocks locks = locks(i);
        if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
            if (type == FileLocks.F_UNLCK) {
                throw new SyscallError(Errno.EINVAL);
            }
            FileLocks.Range r = locks.conflict(owner, type == FileLocks.F_WRLCK, start, end);
            if (r == null) {
                UserMemory.store(t, arg, 2, FileLocks.F_UNLCK);
            } else {
                UserMemory.store(t, arg, 2, r.write ? FileLocks.F_WRLCK : FileLocks.F_RDLCK);
                UserMemory.store(t, arg + 2, 2, RegularFile.SEEK_SET);
                UserMemory.store64(t, arg + 8, r.start);
                UserMemory.store64(t, arg + 16, r.end == Long.MAX_VALUE ? 0 : r.end - r.start + 1);
                UserMemory.store32(t, arg + 24, r.owner instanceof ThreadGroup ? r.pid : -1);
            }
            return 0;
        }
        if (type == FileLocks.F_RDLCK && !OpenFlags.readable(f.flags)
                || type == FileLocks.F_WRLCK && !OpenFlags.writable(f.flags)) {
            throw new SyscallError(Errno.EBADF);
        }
        if (type != FileLocks.F_UNLCK) {
            FileLocks.Range r = locks.conflict(owner, type == FileLocks.F_WRLCK, start, end);
            if (r != null) {
                if (cmd == F_SETLK || cmd == F_OFD_SETLK) {
                    throw new SyscallError(Errno.EAGAIN);
                }
                if (!ofd && deadlock(t.kernel, t.tg, r.owner)) {
                    t.kernel.lockWaits.remove(t);
                    throw new SyscallError(Errno.EDEADLK);
                }
                if (!ofd) {
                    t.kernel.lockWaits.put(t, r.owner);
                }
                return t.kernel.block(t, -1, locks.waiters);
            }
        }
        t.kernel.lockWaits.remove(t);
        locks.set(owner, t.tg.pid, type, start, end);
        return 0;
    }

    private static long addSeals(Task t, FileDescription f, int add) {
        Inode i = f.inode();
        if (i == null || !i.isRegular() || (add & ~Seals.ALL) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (!OpenFlags.writable(f.flags)) {
            throw new SyscallError(Errno.EPERM);
        }
        if (i.seals < 0 || (i.seals & Seals.SEAL) != 0) {
            throw new SyscallError(Errno.EPERM);
        }
        i.seals |= add;
        return 0;
    }
}

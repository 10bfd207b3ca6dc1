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
            F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38, F_GETLEASE = 1025, F_ADD_SEALS = 1033,
            F_GET_SEALS = 1034;

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
            case F_GETOWN:
            case F_GETSIG:
                return 0;
            case F_SETOWN:
            case F_SETSIG:
                return 0; // no SIGIO sources here, so nothing to deliver to the owner
            case F_GETLEASE:
                return FileLocks.F_UNLCK;
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

    private static long recordLock(Task t, FileDescription f, int cmd, long arg) {
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
                return t.kernel.block(t, -1, locks.waiters);
            }
        }
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

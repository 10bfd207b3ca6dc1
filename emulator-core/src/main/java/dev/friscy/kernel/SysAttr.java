package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.ProcFs;
import dev.friscy.fs.Vfs;

/** Attribute changes: chmod, chown, utimensat, truncate, fallocate; extended attributes are unsupported. */
final class SysAttr {
    static final long UTIME_NOW = (1L << 30) - 1;
    static final long UTIME_OMIT = (1L << 30) - 2;
    static final int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2, FALLOC_FL_NO_HIDE_STALE = 4,
            FALLOC_FL_COLLAPSE_RANGE = 8, FALLOC_FL_ZERO_RANGE = 0x10, FALLOC_FL_INSERT_RANGE = 0x20,
            FALLOC_FL_UNSHARE_RANGE = 0x40;

    private SysAttr() {
    }

    /**
     * The extended-attribute calls on a path (setxattr, getxattr, listxattr, removexattr; the
     * l* forms with {@code follow} false) and on an fd (the f* forms): the object is checked as
     * Linux checks it, then EOPNOTSUPP, since this tmpfs keeps no extended attributes.
     */
    static long xattrOnPath(Task task, long path, boolean follow) {
        FsAt.resolve(task, FsAt.AT_FDCWD, UserMemory.path(task, path), follow);
        return -Errno.EOPNOTSUPP;
    }

    static long xattrOnFd(Task task, long fd) {
        task.files.get((int) fd);
        return -Errno.EOPNOTSUPP;
    }

    static long sys_fchmod(Task task, long fd, long mode, long a2, long a3, long a4, long a5) {
        return chmod(task, fdInode(task, (int) fd), (int) mode);
    }

    static long sys_fchmodat(Task task, long dirfd, long path, long mode, long a3, long a4, long a5) {
        return chmod(task, FsAt.resolve(task, (int) dirfd, UserMemory.path(task, path), true), (int) mode);
    }

    static long sys_fchmodat2(Task task, long dirfd, long path, long mode, long flags, long a4, long a5) {
        return fchmodat2(task, (int) dirfd, path, (int) mode, (int) flags);
    }

    static long sys_fchown(Task task, long fd, long uid, long gid, long a3, long a4, long a5) {
        return chown(task, fdInode(task, (int) fd), (int) uid, (int) gid);
    }

    static long sys_fchownat(Task task, long dirfd, long path, long uid, long gid, long flags, long a5) {
        return fchownat(task, (int) dirfd, path, (int) uid, (int) gid, (int) flags);
    }

    static long sys_utimensat(Task task, long dirfd, long path, long times, long flags, long a4, long a5) {
        return utimensat(task, (int) dirfd, path, times, (int) flags);
    }

    static long sys_truncate(Task task, long path, long len, long a2, long a3, long a4, long a5) {
        return truncate(task, UserMemory.path(task, path), len);
    }

    static long sys_ftruncate(Task task, long fd, long len, long a2, long a3, long a4, long a5) {
        return ftruncate(task, (int) fd, len);
    }

    static long sys_fallocate(Task task, long fd, long mode, long off, long len, long a4, long a5) {
        return fallocate(task, (int) fd, (int) mode, off, len);
    }

    /** The inode behind an fd that attribute calls may change (not an O_PATH fd). */
    static Inode fdInode(Task t, int fd) {
        FileDescription f = t.files.get(fd);
        if ((f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        Inode i = f.attrInode();
        if (i == null) {
            throw new SyscallError(f.isAnonInode() ? Errno.EOPNOTSUPP : Errno.EINVAL);
        }
        return i;
    }

    private static void notProc(Inode i) {
        if (i instanceof ProcFs.Dir || i instanceof ProcFs.FileNode) {
            throw new SyscallError(Errno.EPERM);
        }
    }

    private static boolean owner(Task t, Inode i) {
        Credentials c = t.cred();
        return c.isRoot() || c.fsuid == i.uid;
    }

    static long chmod(Task t, Inode i, int mode) {
        notProc(i);
        if (!owner(t, i)) {
            throw new SyscallError(Errno.EPERM);
        }
        mode &= 07777;
        Credentials c = t.cred();
        if (!c.isRoot() && !c.inGroup(i.gid)) {
            mode &= ~Inode.S_ISGID;
        }
        i.mode = (i.mode & Inode.S_IFMT) | mode;
        i.ctimeNs = t.kernel.vfs.now();
        return 0;
    }

    static long fchmodat2(Task t, int dirfd, long pathAddr, int mode, int flags) {
        if ((flags & ~(FsAt.AT_SYMLINK_NOFOLLOW | FsAt.AT_EMPTY_PATH)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        Inode i = FsAt.target(t, dirfd, UserMemory.path(t, pathAddr), flags, true);
        if (i.isSymlink()) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        return chmod(t, i, mode);
    }

    static long fchownat(Task t, int dirfd, long pathAddr, int uid, int gid, int flags) {
        if ((flags & ~(FsAt.AT_SYMLINK_NOFOLLOW | FsAt.AT_EMPTY_PATH)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        return chown(t, FsAt.target(t, dirfd, UserMemory.path(t, pathAddr), flags, true), uid, gid);
    }

    static long chown(Task t, Inode i, int uid, int gid) {
        notProc(i);
        Credentials c = t.cred();
        if (!c.isRoot()) {
            boolean uidOk = uid == -1 || (c.fsuid == i.uid && uid == i.uid);
            boolean gidOk = gid == -1 || (c.fsuid == i.uid && (c.inGroup(gid) || gid == i.gid));
            if (!uidOk || !gidOk) {
                throw new SyscallError(Errno.EPERM);
            }
        }
        if (uid != -1) {
            i.uid = uid;
        }
        if (gid != -1) {
            i.gid = gid;
        }
        if ((uid != -1 || gid != -1) && !i.isDir()) {
            // a chown drops set-user-ID, and set-group-ID where it means "execute as group"
            i.mode &= ~Inode.S_ISUID;
            if ((i.mode & 010) != 0) {
                i.mode &= ~Inode.S_ISGID;
            }
        }
        i.ctimeNs = t.kernel.vfs.now();
        return 0;
    }

    static long utimensat(Task t, int dirfd, long pathAddr, long times, int flags) {
        if ((flags & ~(FsAt.AT_SYMLINK_NOFOLLOW | FsAt.AT_EMPTY_PATH)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        Inode i;
        if (pathAddr == 0) {
            // futimens: the fd itself
            if (dirfd == FsAt.AT_FDCWD) {
                throw new SyscallError(Errno.EFAULT);
            }
            FileDescription f = t.files.get(dirfd);
            i = f.attrInode();
            if (i == null) {
                throw new SyscallError(f.isAnonInode() ? Errno.EOPNOTSUPP : Errno.EBADF);
            }
        } else {
            i = FsAt.target(t, dirfd, UserMemory.path(t, pathAddr), flags, true);
        }
        long now = t.kernel.vfs.now();
        long aSec = 0, aNs = UTIME_NOW, mSec = 0, mNs = UTIME_NOW;
        if (times != 0) {
            aSec = UserMemory.load64(t, times);
            aNs = UserMemory.load64(t, times + 8);
            mSec = UserMemory.load64(t, times + 16);
            mNs = UserMemory.load64(t, times + 24);
            for (long ns : new long[] {aNs, mNs}) {
                if (ns != UTIME_NOW && ns != UTIME_OMIT && (ns < 0 || ns > 999_999_999)) {
                    throw new SyscallError(Errno.EINVAL);
                }
            }
        }
        if (aNs == UTIME_OMIT && mNs == UTIME_OMIT) {
            return 0;
        }
        notProc(i);
        boolean onlyNow = (aNs == UTIME_NOW || aNs == UTIME_OMIT) && (mNs == UTIME_NOW || mNs == UTIME_OMIT);
        if (!owner(t, i)) {
            if (!onlyNow) {
                throw new SyscallError(Errno.EPERM);
            }
            if (!Vfs.permitted(i, t.cred(), 2)) {
                throw new SyscallError(Errno.EACCES);
            }
        }
        if (aNs != UTIME_OMIT) {
            i.atimeNs = aNs == UTIME_NOW ? now : aSec * 1_000_000_000L + aNs;
        }
        if (mNs != UTIME_OMIT) {
            i.mtimeNs = mNs == UTIME_NOW ? now : mSec * 1_000_000_000L + mNs;
        }
        i.ctimeNs = now;
        return 0;
    }

    private static void doTruncate(Task t, Inode i, long len) {
        if (len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (i.seals > 0 && ((i.seals & dev.friscy.fs.Seals.SHRINK) != 0 && len < i.size
                || (i.seals & dev.friscy.fs.Seals.GROW) != 0 && len > i.size)) {
            throw new SyscallError(Errno.EPERM);
        }
        long fsize = t.tg.rlimits[Rlimits.FSIZE][0];
        if (fsize != Rlimits.INFINITY && len > fsize) {
            SignalDelivery.sendToTask(t.kernel, t, SigInfo.of(Signals.SIGXFSZ, SigInfo.SI_USER));
            throw new SyscallError(Errno.EFBIG);
        }
        i.truncate(len);
        long now = t.kernel.vfs.now();
        i.mtimeNs = now;
        i.ctimeNs = now;
        if (!t.cred().isRoot()) {
            i.mode &= ~Inode.S_ISUID;
            if ((i.mode & 010) != 0) {
                i.mode &= ~Inode.S_ISGID;
            }
        }
    }

    static long truncate(Task t, String path, long len) {
        Inode i = FsAt.resolve(t, FsAt.AT_FDCWD, path, true);
        if (i.isDir()) {
            throw new SyscallError(Errno.EISDIR);
        }
        if (!i.isRegular() || i instanceof ProcFs.FileNode) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (!Vfs.permitted(i, t.cred(), 2)) {
            throw new SyscallError(Errno.EACCES);
        }
        FsAt.notRunning(t, i);
        if (SysLease.breakOnOpen(t, i, OpenFlags.O_WRONLY)) {
            return SyscallTable.BLOCKED; // truncate(2) breaks leases as a write open does, and waits
        }
        doTruncate(t, i, len);
        return 0;
    }

    static long ftruncate(Task t, int fd, long len) {
        FileDescription f = t.files.get(fd);
        if ((f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        Inode i = f.inode();
        if (i == null || !i.isRegular() || !OpenFlags.writable(f.flags) || i instanceof ProcFs.FileNode) {
            throw new SyscallError(Errno.EINVAL);
        }
        doTruncate(t, i, len);
        return 0;
    }

    static long fallocate(Task t, int fd, int mode, long off, long len) {
        FileDescription f = t.files.get(fd);
        if (!OpenFlags.writable(f.flags) || (f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        if (off < 0 || len <= 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        Inode i = f.inode();
        if (i == null || i.type() == Inode.S_IFIFO) {
            throw new SyscallError(Errno.ESPIPE);
        }
        if (i.isDir()) {
            throw new SyscallError(Errno.EISDIR);
        }
        if (!i.isRegular() || i instanceof ProcFs.FileNode) {
            throw new SyscallError(Errno.ENODEV);
        }
        if (off + len < 0) {
            throw new SyscallError(Errno.EFBIG);
        }
        boolean keep = (mode & FALLOC_FL_KEEP_SIZE) != 0;
        if ((mode & FALLOC_FL_PUNCH_HOLE) != 0) {
            if (!keep || (mode & ~(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)) != 0) {
                throw new SyscallError(Errno.EOPNOTSUPP);
            }
            i.punch(off, len, false);
        } else if ((mode & FALLOC_FL_ZERO_RANGE) != 0) {
            if ((mode & ~(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE)) != 0) {
                throw new SyscallError(Errno.EOPNOTSUPP);
            }
            i.punch(off, len, true);
            i.allocate(off, len, keep);
        } else if ((mode & ~FALLOC_FL_KEEP_SIZE) != 0) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        } else {
            i.allocate(off, len, keep);
        }
        long now = t.kernel.vfs.now();
        i.mtimeNs = now;
        i.ctimeNs = now;
        return 0;
    }
}

package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.DevFs;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Lookup;
import dev.friscy.fs.ProcFs;
import dev.friscy.fs.Stat;
import dev.friscy.fs.Vfs;

import java.nio.charset.StandardCharsets;

/** stat, statx, statfs, access and readlink. Struct layouts are riscv64's (asm-generic). */
final class SysStat {
    static final int STAT_SIZE = 128;
    static final int STATX_SIZE = 256;
    static final int STATFS_SIZE = 120;
    static final int STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800, STATX_RESERVED = 0x80000000;
    static final long TMPFS_MAGIC = 0x01021994L;

    private SysStat() {
    }

    static long sys_newfstatat(Task task, long dirfd, long path, long buf, long flags, long a4, long a5) {
        return fstatat(task, (int) dirfd, path, buf, (int) flags);
    }

    static long sys_fstat(Task task, long fd, long buf, long a2, long a3, long a4, long a5) {
        return fstat(task, (int) fd, buf);
    }

    static long sys_statx(Task task, long dirfd, long path, long flags, long mask, long buf, long a5) {
        return statx(task, (int) dirfd, path, (int) flags, (int) mask, buf);
    }

    static long sys_statfs(Task task, long path, long buf, long a2, long a3, long a4, long a5) {
        return statfs(task, FsAt.resolve(task, FsAt.AT_FDCWD, UserMemory.path(task, path), true), buf);
    }

    static long sys_fstatfs(Task task, long fd, long buf, long a2, long a3, long a4, long a5) {
        return fstatfs(task, (int) fd, buf);
    }

    static long sys_faccessat(Task task, long dirfd, long path, long mode, long a3, long a4, long a5) {
        return faccessat(task, (int) dirfd, path, (int) mode, 0);
    }

    static long sys_faccessat2(Task task, long dirfd, long path, long mode, long flags, long a4, long a5) {
        return faccessat(task, (int) dirfd, path, (int) mode, (int) flags);
    }

    static long sys_readlinkat(Task task, long dirfd, long path, long buf, long size, long a4, long a5) {
        return readlinkat(task, (int) dirfd, path, buf, size);
    }

    /** The stat of (dirfd, path, flags): AT_EMPTY_PATH may name a pipe or terminal, which has no inode. */
    static Stat statOf(Task t, int dirfd, String path, int flags) {
        Stat st = new Stat();
        if (path.isEmpty() && (flags & FsAt.AT_EMPTY_PATH) != 0 && dirfd != FsAt.AT_FDCWD) {
            t.files.get(dirfd).stat(st);
            return st;
        }
        FsAt.target(t, dirfd, path, flags, true).stat(st);
        return st;
    }

    static long fstatat(Task t, int dirfd, long pathAddr, long buf, int flags) {
        if ((flags & ~(FsAt.AT_SYMLINK_NOFOLLOW | FsAt.AT_NO_AUTOMOUNT | FsAt.AT_EMPTY_PATH)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        // Linux 6.11+ takes a NULL path with AT_EMPTY_PATH
        String path = pathAddr == 0 && (flags & FsAt.AT_EMPTY_PATH) != 0 ? "" : UserMemory.path(t, pathAddr);
        Stat st = statOf(t, dirfd, path, flags);
        UserMemory.write(t, buf, encodeStat(st));
        return 0;
    }

    static long fstat(Task t, int fd, long buf) {
        Stat st = new Stat();
        t.files.get(fd).stat(st);
        UserMemory.write(t, buf, encodeStat(st));
        return 0;
    }

    static byte[] encodeStat(Stat st) {
        byte[] b = new byte[STAT_SIZE];
        SysFs.put64(b, 0, st.dev);
        SysFs.put64(b, 8, st.ino);
        SysFs.put32(b, 16, st.mode);
        SysFs.put32(b, 20, st.nlink);
        SysFs.put32(b, 24, st.uid);
        SysFs.put32(b, 28, st.gid);
        SysFs.put64(b, 32, st.rdev);
        SysFs.put64(b, 48, st.size);
        SysFs.put32(b, 56, st.blksize);
        SysFs.put64(b, 64, st.blocks);
        putTime(b, 72, st.atimeNs);
        putTime(b, 88, st.mtimeNs);
        putTime(b, 104, st.ctimeNs);
        return b;
    }

    private static void putTime(byte[] b, int off, long ns) {
        SysFs.put64(b, off, Math.floorDiv(ns, 1_000_000_000L));
        SysFs.put64(b, off + 8, Math.floorMod(ns, 1_000_000_000L));
    }

    static long statx(Task t, int dirfd, long pathAddr, int flags, int mask, long buf) {
        if ((flags & ~(FsAt.AT_SYMLINK_NOFOLLOW | FsAt.AT_NO_AUTOMOUNT | FsAt.AT_EMPTY_PATH | FsAt.AT_STATX_SYNC_TYPE)) != 0
                || (flags & FsAt.AT_STATX_SYNC_TYPE) == FsAt.AT_STATX_SYNC_TYPE || (mask & STATX_RESERVED) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        String path = pathAddr == 0 && (flags & FsAt.AT_EMPTY_PATH) != 0 ? "" : UserMemory.path(t, pathAddr);
        Stat st = statOf(t, dirfd, path, flags);
        byte[] b = new byte[STATX_SIZE];
        SysFs.put32(b, 0, STATX_BASIC_STATS | STATX_BTIME);
        SysFs.put32(b, 4, st.blksize);
        SysFs.put32(b, 16, st.nlink);
        SysFs.put32(b, 20, st.uid);
        SysFs.put32(b, 24, st.gid);
        b[28] = (byte) st.mode;
        b[29] = (byte) (st.mode >> 8);
        SysFs.put64(b, 32, st.ino);
        SysFs.put64(b, 40, st.size);
        SysFs.put64(b, 48, st.blocks);
        putStatxTime(b, 64, st.atimeNs);
        putStatxTime(b, 80, st.btimeNs);
        putStatxTime(b, 96, st.ctimeNs);
        putStatxTime(b, 112, st.mtimeNs);
        SysFs.put32(b, 128, DevFs.major(st.rdev));
        SysFs.put32(b, 132, DevFs.minor(st.rdev));
        SysFs.put32(b, 136, DevFs.major(st.dev));
        SysFs.put32(b, 140, DevFs.minor(st.dev));
        UserMemory.write(t, buf, b);
        return 0;
    }

    private static void putStatxTime(byte[] b, int off, long ns) {
        SysFs.put64(b, off, Math.floorDiv(ns, 1_000_000_000L));
        SysFs.put32(b, off + 8, (int) Math.floorMod(ns, 1_000_000_000L));
    }

    static long fstatfs(Task t, int fd, long buf) {
        FileDescription f = t.files.get(fd);
        Inode i = f.inode();
        if (i == null) {
            // pipes and the terminal live on pseudo file systems
            byte[] b = statfsBytes(f.isTty() ? dev.friscy.fs.DevPts.DEVPTS_SUPER_MAGIC : 0x50495045, 0, 0, 0, 0);
            UserMemory.write(t, buf, b);
            return 0;
        }
        return statfs(t, i, buf);
    }

    static long statfs(Task t, Inode i, long buf) {
        Stat st = new Stat();
        i.stat(st);
        byte[] b;
        if (st.dev == ProcFs.PROC_DEV) {
            b = statfsBytes(ProcFs.PROC_SUPER_MAGIC, 0, 0, 0, 2 | 4 | 8);
        } else if (st.dev == ProcFs.SYSFS_DEV) {
            b = statfsBytes(ProcFs.SYSFS_MAGIC, 0, 0, 0, 1 | 2 | 4 | 8);
        } else if (st.dev == dev.friscy.fs.DevPts.DEV) {
            b = statfsBytes(dev.friscy.fs.DevPts.DEVPTS_SUPER_MAGIC, 0, 0, 0, 2 | 4 | 8);
        } else {
            long blocks = 524288; // 2 GiB of 4 KiB blocks: what the browser can reasonably hold
            long files = 1 << 20;
            long[] used = t.kernel.vfs.usage();
            b = statfsBytes(TMPFS_MAGIC, blocks, Math.max(0, blocks - used[0]), files, 0);
            SysFs.put64(b, 48, Math.max(0, files - used[1]));
        }
        UserMemory.write(t, buf, b);
        return 0;
    }

    private static byte[] statfsBytes(long type, long blocks, long free, long files, long flags) {
        byte[] b = new byte[STATFS_SIZE];
        SysFs.put64(b, 0, type);
        SysFs.put64(b, 8, 4096);
        SysFs.put64(b, 16, blocks);
        SysFs.put64(b, 24, free);
        SysFs.put64(b, 32, free);
        SysFs.put64(b, 40, files);
        SysFs.put64(b, 48, files);
        SysFs.put64(b, 64, 255);
        SysFs.put64(b, 72, 4096);
        SysFs.put64(b, 80, flags | 0x20 /* ST_VALID */ | 0x1000 /* ST_RELATIME */);
        return b;
    }

    static long faccessat(Task t, int dirfd, long pathAddr, int mode, int flags) {
        if ((mode & ~7) != 0 || (flags & ~(FsAt.AT_EACCESS | FsAt.AT_SYMLINK_NOFOLLOW | FsAt.AT_EMPTY_PATH)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        Credentials c = t.cred();
        if ((flags & FsAt.AT_EACCESS) == 0) {
            // access(2) checks with the real ids
            Credentials r = c.copy();
            r.fsuid = c.uid;
            r.fsgid = c.gid;
            c = r;
        }
        String path = UserMemory.path(t, pathAddr);
        Inode i;
        if (path.isEmpty() && (flags & FsAt.AT_EMPTY_PATH) != 0) {
            i = FsAt.target(t, dirfd, path, flags, true);
        } else {
            Inode base = FsAt.base(t, dirfd, path);
            Lookup l = t.kernel.vfs.lookup(t, t.fs, c, base, path, (flags & FsAt.AT_SYMLINK_NOFOLLOW) == 0);
            if (l.inode == null) {
                throw new SyscallError(Errno.ENOENT);
            }
            i = l.inode;
        }
        if (mode != 0 && !Vfs.permitted(i, c, mode)) {
            throw new SyscallError(Errno.EACCES);
        }
        return 0;
    }

    static long readlinkat(Task t, int dirfd, long pathAddr, long buf, long size) {
        String path = UserMemory.path(t, pathAddr);
        Inode i;
        if (path.isEmpty()) {
            // readlinkat(fd, "") reads the symlink an O_PATH|O_NOFOLLOW fd refers to
            i = FsAt.target(t, dirfd, path, FsAt.AT_EMPTY_PATH, false);
        } else {
            i = FsAt.resolve(t, dirfd, path, false);
        }
        if (!i.isSymlink()) {
            throw new SyscallError(path.isEmpty() ? Errno.ENOENT : Errno.EINVAL);
        }
        if (size <= 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] b = i.target.getBytes(StandardCharsets.ISO_8859_1);
        int n = (int) Math.min(b.length, Math.min(size, Integer.MAX_VALUE));
        UserMemory.write(t, buf, b, 0, n);
        if (i.atimeNs <= i.mtimeNs || i.atimeNs <= i.ctimeNs) {
            i.atimeNs = t.kernel.vfs.now(); // relatime, as reading a link does
        }
        return n;
    }
}

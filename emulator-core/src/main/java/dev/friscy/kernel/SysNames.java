package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Lookup;
import dev.friscy.fs.ProcFs;
import dev.friscy.fs.Stat;
import dev.friscy.fs.Vfs;

/** System calls that add, remove and move names: mkdir, mknod, unlink, rmdir, symlink, link, rename. */
final class SysNames {
    static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

    private SysNames() {
    }

    static long sys_mkdirat(Task task, long dirfd, long path, long mode, long a3, long a4, long a5) {
        return mkdirat(task, (int) dirfd, UserMemory.path(task, path), (int) mode);
    }

    static long sys_mknodat(Task task, long dirfd, long path, long mode, long dev, long a4, long a5) {
        return mknodat(task, (int) dirfd, UserMemory.path(task, path), (int) mode, dev);
    }

    static long sys_unlinkat(Task task, long dirfd, long path, long flags, long a3, long a4, long a5) {
        return unlinkat(task, (int) dirfd, UserMemory.path(task, path), (int) flags);
    }

    static long sys_symlinkat(Task task, long target, long dirfd, long path, long a3, long a4, long a5) {
        return symlinkat(task, UserMemory.path(task, target), (int) dirfd, UserMemory.path(task, path));
    }

    static long sys_linkat(Task task, long olddir, long oldpath, long newdir, long newpath, long flags, long a5) {
        return linkat(task, (int) olddir, UserMemory.path(task, oldpath), (int) newdir, UserMemory.path(task, newpath), (int) flags);
    }

    static long sys_renameat(Task task, long olddir, long oldpath, long newdir, long newpath, long a4, long a5) {
        return renameat2(task, (int) olddir, UserMemory.path(task, oldpath), (int) newdir, UserMemory.path(task, newpath), 0);
    }

    static long sys_renameat2(Task task, long olddir, long oldpath, long newdir, long newpath, long flags, long a5) {
        return renameat2(task, (int) olddir, UserMemory.path(task, oldpath), (int) newdir, UserMemory.path(task, newpath), (int) flags);
    }

    private static boolean inProc(Inode i) {
        Stat st = new Stat();
        i.stat(st);
        return st.dev == ProcFs.PROC_DEV || st.dev == ProcFs.SYSFS_DEV;
    }

    /** The lookup for a name about to be created: it must not exist yet. */
    private static Lookup fresh(Task t, int dirfd, String path) {
        Lookup l = t.kernel.vfs.lookupName(t, t.fs, t.cred(), FsAt.base(t, dirfd, path), path);
        if (l.inode != null || l.isDot()) {
            throw new SyscallError(Errno.EEXIST);
        }
        return l;
    }

    static long mkdirat(Task t, int dirfd, String path, int mode) {
        Lookup l = fresh(t, dirfd, path);
        FsAt.create(t, l, Inode.S_IFDIR | (mode & 01777 & ~t.fs.umask));
        return 0;
    }

    static long mknodat(Task t, int dirfd, String path, int mode, long dev) {
        int type = mode & Inode.S_IFMT;
        switch (type) {
            case 0:
                type = Inode.S_IFREG;
                break;
            case Inode.S_IFREG:
            case Inode.S_IFIFO:
            case Inode.S_IFSOCK:
                break;
            case Inode.S_IFCHR:
            case Inode.S_IFBLK:
                if (!t.cred().isRoot()) {
                    throw new SyscallError(Errno.EPERM);
                }
                break;
            case Inode.S_IFDIR:
                throw new SyscallError(Errno.EPERM);
            default:
                throw new SyscallError(Errno.EINVAL);
        }
        Lookup l = fresh(t, dirfd, path);
        if (l.trailingSlash) {
            throw new SyscallError(Errno.ENOENT); // only mkdir takes a name ending in '/'
        }
        Inode i = FsAt.create(t, l, type | (mode & 07777 & ~t.fs.umask));
        if (type == Inode.S_IFCHR || type == Inode.S_IFBLK) {
            i.rdev = dev & 0xffffffffL;
        }
        return 0;
    }

    static long unlinkat(Task t, int dirfd, String path, int flags) {
        if ((flags & ~FsAt.AT_REMOVEDIR) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        // the checks below come in the order Linux makes them, so the errno is the same
        Lookup l = t.kernel.vfs.lookupName(t, t.fs, t.cred(), FsAt.base(t, dirfd, path), path);
        if ((flags & FsAt.AT_REMOVEDIR) != 0) {
            return rmdir(t, l);
        }
        if (l.isDot()) {
            throw new SyscallError(Errno.EISDIR);
        }
        Inode v = l.inode;
        if (v == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        if (l.trailingSlash) {
            throw new SyscallError(v.isDir() ? Errno.EISDIR : Errno.ENOTDIR);
        }
        FsAt.mayDelete(t, l.dir, v);
        if (v.isDir()) {
            throw new SyscallError(Errno.EISDIR);
        }
        t.kernel.vfs.unlink(l.dir, l.name);
        return 0;
    }

    private static long rmdir(Task t, Lookup l) {
        if (l.name.equals(".")) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (l.name.equals("..")) {
            throw new SyscallError(Errno.ENOTEMPTY);
        }
        if (l.name.equals("/")) {
            throw new SyscallError(Errno.EBUSY);
        }
        Inode d = l.inode;
        if (d == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        FsAt.mayDelete(t, l.dir, d);
        if (!d.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        if (d == t.fs.root || d == t.kernel.vfs.root || d instanceof ProcFs.Dir) {
            throw new SyscallError(Errno.EBUSY);
        }
        if (!d.entries.isEmpty()) {
            throw new SyscallError(Errno.ENOTEMPTY);
        }
        t.kernel.vfs.unlink(l.dir, l.name);
        return 0;
    }

    static long symlinkat(Task t, String target, int dirfd, String path) {
        if (target.isEmpty()) {
            throw new SyscallError(Errno.ENOENT);
        }
        Lookup l = fresh(t, dirfd, path);
        if (l.trailingSlash) {
            throw new SyscallError(Errno.ENOENT);
        }
        Inode i = t.kernel.vfs.newInode(Inode.S_IFLNK | 0777);
        i.target = target;
        FsAt.mayModify(t, l.dir);
        FsAt.owned(t, l.dir, i);
        t.kernel.vfs.link(l.dir, l.name, i);
        return 0;
    }

    static long linkat(Task t, int olddir, String oldpath, int newdir, String newpath, int flags) {
        if ((flags & ~(FsAt.AT_SYMLINK_FOLLOW | FsAt.AT_EMPTY_PATH)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((flags & FsAt.AT_EMPTY_PATH) != 0 && oldpath.isEmpty() && !t.cred().isRoot()) {
            throw new SyscallError(Errno.ENOENT); // needs CAP_DAC_READ_SEARCH; others go through /proc/self/fd
        }
        Inode old = FsAt.target(t, olddir, oldpath, flags, false);
        Lookup l = fresh(t, newdir, newpath);
        if (l.trailingSlash) {
            throw new SyscallError(Errno.ENOENT);
        }
        if (inProc(old) || !l.dir.mutable()) {
            throw new SyscallError(Errno.EXDEV);
        }
        FsAt.mayModify(t, l.dir);
        if (old.isDir()) {
            throw new SyscallError(Errno.EPERM);
        }
        if (old.nlink == 0 && !old.linkable) {
            throw new SyscallError(Errno.ENOENT); // a deleted file cannot come back
        }
        if (l.dir.nlink == 0) {
            throw new SyscallError(Errno.ENOENT);
        }
        t.kernel.vfs.link(l.dir, l.name, old);
        return 0;
    }

    static long renameat2(Task t, int olddir, String oldpath, int newdir, String newpath, int flags) {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
                || (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)) == (RENAME_NOREPLACE | RENAME_EXCHANGE)
                || (flags & RENAME_WHITEOUT) != 0 && (flags & RENAME_EXCHANGE) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((flags & RENAME_WHITEOUT) != 0) {
            throw new SyscallError(Errno.EINVAL); // no overlay file systems here
        }
        boolean exchange = (flags & RENAME_EXCHANGE) != 0;
        boolean noreplace = (flags & RENAME_NOREPLACE) != 0;
        Vfs vfs = t.kernel.vfs;
        // the checks below come in the order Linux makes them, so the errno is the same
        Lookup from = vfs.lookupName(t, t.fs, t.cred(), FsAt.base(t, olddir, oldpath), oldpath);
        Lookup to = vfs.lookupName(t, t.fs, t.cred(), FsAt.base(t, newdir, newpath), newpath);
        if (!from.dir.mutable() || !to.dir.mutable()) {
            throw new SyscallError(Errno.EXDEV);
        }
        if (from.isDot()) {
            throw new SyscallError(Errno.EBUSY);
        }
        if (to.isDot()) {
            throw new SyscallError(noreplace ? Errno.EEXIST : Errno.EBUSY);
        }
        Inode src = from.inode;
        if (src == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        Inode dst = to.inode;
        if (noreplace && dst != null) {
            throw new SyscallError(Errno.EEXIST);
        }
        if (exchange && dst == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        if (exchange) {
            if ((from.trailingSlash && !src.isDir()) || (to.trailingSlash && !dst.isDir())) {
                throw new SyscallError(Errno.ENOTDIR);
            }
        } else if (!src.isDir() && (from.trailingSlash || to.trailingSlash)) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        if (src.isDir() && Vfs.isAncestor(src, to.dir)) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (dst != null && Vfs.isAncestor(dst, from.dir)) {
            throw new SyscallError(exchange ? Errno.EINVAL : Errno.ENOTEMPTY);
        }
        if (src == dst) {
            return 0; // two names of one inode: nothing to do
        }
        if (src instanceof ProcFs.Dir || src == t.fs.root || src == vfs.root) {
            throw new SyscallError(Errno.EBUSY);
        }
        FsAt.mayDelete(t, from.dir, src);
        if (dst == null) {
            FsAt.mayModify(t, to.dir);
        } else {
            FsAt.mayDelete(t, to.dir, dst);
            if (!exchange) {
                if (src.isDir() && !dst.isDir()) {
                    throw new SyscallError(Errno.ENOTDIR);
                }
                if (!src.isDir() && dst.isDir()) {
                    throw new SyscallError(Errno.EISDIR);
                }
            }
        }
        if (from.dir != to.dir) {
            // a directory changing parents gets a new "..": that is a write to it
            if (src.isDir() && !Vfs.permitted(src, t.cred(), 2)
                    || exchange && dst.isDir() && !Vfs.permitted(dst, t.cred(), 2)) {
                throw new SyscallError(Errno.EACCES);
            }
        }
        if (exchange) {
            vfs.exchange(from.dir, from.name, to.dir, to.name);
            return 0;
        }
        if (dst != null && dst.isDir()) {
            if (dst == t.fs.root || dst instanceof ProcFs.Dir) {
                throw new SyscallError(Errno.EBUSY);
            }
            if (!dst.entries.isEmpty()) {
                throw new SyscallError(Errno.ENOTEMPTY);
            }
        }
        if (to.dir.nlink == 0) {
            throw new SyscallError(Errno.ENOENT);
        }
        vfs.move(from.dir, from.name, to.dir, to.name);
        return 0;
    }
}

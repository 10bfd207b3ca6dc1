package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.DescriptionNode;
import dev.friscy.fs.DevFs;
import dev.friscy.fs.DirectoryFile;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.FsContext;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Lookup;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.PathFile;
import dev.friscy.fs.ProcFs;
import dev.friscy.fs.RegularFile;
import dev.friscy.fs.SnapshotFile;
import dev.friscy.fs.Vfs;

import java.nio.charset.StandardCharsets;

/**
 * System calls on paths and file-system objects: open, getdents and close_range here; the
 * other families register from their own files (SysStat, SysNames, SysAttr, SysCwd, SysLock).
 */
final class SysFs {
    static final int CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

    private SysFs() {
    }

    static long sys_openat(Task task, long dirfd, long path, long flags, long mode, long a4, long a5) {
        return openat(task, (int) dirfd, path, (int) flags, (int) mode);
    }

    static long sys_getdents64(Task task, long fd, long buf, long len, long a3, long a4, long a5) {
        return getdents64(task, (int) fd, buf, len);
    }

    static long sys_close_range(Task task, long lo, long hi, long flags, long a3, long a4, long a5) {
        return closeRange(task, lo, hi, (int) flags);
    }

    static long sys_memfd_create(Task task, long name, long flags, long a2, long a3, long a4, long a5) {
        return memfdCreate(task, name, (int) flags);
    }

    /** fcntl commands beyond fd/flag handling: pipe sizes (SysPipe), locks and the rest (SysLock). */
    static long fcntlMore(Task t, FileDescription f, int fd, int cmd, long arg) {
        if (SysPipe.isPipeCommand(cmd)) {
            return SysPipe.pipeFcntl(t, f, cmd, arg);
        }
        return SysLock.fcntl(t, f, fd, cmd, arg);
    }

    static long openat(Task t, int dirfd, long pathAddr, int flags, int mode) {
        String path = UserMemory.path(t, pathAddr);
        FileDescription f = open(t, dirfd, path, flags, mode);
        if (f == null) {
            return SyscallTable.BLOCKED; // a FIFO waiting for its other end
        }
        try {
            return t.files.install(f, 0, (flags & OpenFlags.O_CLOEXEC) != 0);
        } catch (SyscallError e) {
            f.decRef();
            throw e;
        }
    }

    /**
     * open(2) semantics, returning a new description (one reference, owned by the caller), or
     * null when the task was parked (opening a FIFO before its other end).
     */
    static FileDescription open(Task t, int dirfd, String path, int flags, int mode) {
        Vfs vfs = t.kernel.vfs;
        Credentials c = t.cred();
        if ((flags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE) {
            return tmpfile(t, dirfd, path, flags, mode);
        }
        if ((flags & OpenFlags.O_PATH) != 0) {
            flags &= OpenFlags.O_PATH | OpenFlags.O_CLOEXEC | OpenFlags.O_DIRECTORY | OpenFlags.O_NOFOLLOW;
        }
        boolean creat = (flags & OpenFlags.O_CREAT) != 0;
        if (creat && (flags & OpenFlags.O_DIRECTORY) != 0) {
            throw new SyscallError(Errno.EINVAL); // as Linux since 6.4: open cannot create directories
        }
        boolean excl = creat && (flags & OpenFlags.O_EXCL) != 0;
        boolean follow = (flags & OpenFlags.O_NOFOLLOW) == 0 && !excl;
        if (creat && path.endsWith("/")) {
            // Linux refuses O_CREAT with a trailing slash once the parent is found
            vfs.lookupName(t, t.fs, c, FsAt.base(t, dirfd, path), path);
            throw new SyscallError(Errno.EISDIR);
        }
        Lookup l = FsAt.lookup(t, dirfd, path, follow);
        Inode i = l.inode;
        boolean created = false;
        if (creat) {
            if (i == null) {
                i = FsAt.create(t, l, Inode.S_IFREG | (mode & 07777 & ~t.fs.umask));
                created = true;
            } else if (excl) {
                throw new SyscallError(Errno.EEXIST);
            } else if (i.isDir()) {
                throw new SyscallError(Errno.EISDIR);
            }
        } else if (i == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        String where = FsAt.pathOf(t, l, i);
        if (i.isSymlink()) {
            if ((flags & OpenFlags.O_PATH) != 0) {
                return new PathFile(i, where, flags);
            }
            throw new SyscallError(Errno.ELOOP);
        }
        if ((flags & OpenFlags.O_DIRECTORY) != 0 && !i.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        if ((flags & OpenFlags.O_PATH) != 0) {
            return new PathFile(i, where, flags);
        }
        if (i instanceof DescriptionNode) {
            // /proc/self/fd/N of a pipe or terminal: the owner's rights were checked when it was opened
            return reopen(t, (DescriptionNode) i, flags & ~(OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY
                    | OpenFlags.O_TRUNC));
        }
        int acc = flags & OpenFlags.O_ACCMODE;
        boolean wantWrite = acc != OpenFlags.O_RDONLY;
        if (i.isDir() && (wantWrite || (flags & OpenFlags.O_TRUNC) != 0)) {
            throw new SyscallError(Errno.EISDIR);
        }
        if ((flags & OpenFlags.O_NOATIME) != 0 && !c.isRoot() && c.fsuid != i.uid) {
            throw new SyscallError(Errno.EPERM);
        }
        if (!created) {
            int want = (acc == OpenFlags.O_RDONLY ? 4 : acc == OpenFlags.O_WRONLY ? 2 : 6)
                    | ((flags & OpenFlags.O_TRUNC) != 0 ? 2 : 0);
            if (!Vfs.permitted(i, c, want)) {
                throw new SyscallError(Errno.EACCES);
            }
        }
        boolean trunc = (flags & OpenFlags.O_TRUNC) != 0;
        // creation flags and O_CLOEXEC (an fd flag) are not status flags of the description
        int origFlags = flags & ~(OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY | OpenFlags.O_TRUNC
                | OpenFlags.O_CLOEXEC);
        switch (i.type()) {
            case Inode.S_IFREG:
                if (i instanceof ProcFs.FileNode) {
                    if (wantWrite && !((ProcFs.FileNode) i).writable()) {
                        throw new SyscallError(Errno.EACCES);
                    }
                    FileDescription special = ((ProcFs.FileNode) i).openSpecial(where, origFlags);
                    if (special != null) {
                        return special;
                    }
                    return new SnapshotFile(i, where, ((ProcFs.FileNode) i).generate(), origFlags);
                }
                if (!created && SysLease.breakOnOpen(t, i, flags)) {
                    return null; // parked until the lease holder gives way; the open re-runs
                }
                if (wantWrite || trunc) {
                    FsAt.notRunning(t, i);
                }
                if (trunc && !created) {
                    // like Linux, O_TRUNC truncates even with O_RDONLY (write permission was checked)
                    i.truncate(0);
                    long now = vfs.now();
                    i.mtimeNs = now;
                    i.ctimeNs = now;
                }
                RegularFile rf = new RegularFile(vfs, i, where, origFlags);
                rf.created = created;
                return rf;
            case Inode.S_IFDIR:
                return new DirectoryFile(vfs, i, where, origFlags);
            case Inode.S_IFCHR:
                return DevFs.open(t, i, where, origFlags);
            case Inode.S_IFIFO:
                if (vfs.fifos == null) {
                    throw new SyscallError(Errno.ENXIO); // no FIFO support installed (DevFs.populate does)
                }
                return vfs.fifos.open(t, i, where, origFlags);
            default:
                throw new SyscallError(Errno.ENXIO);
        }
    }

    /** Opening /proc/self/fd/N of a pipe or terminal: a new description of the same object. */
    private static FileDescription reopen(Task t, DescriptionNode n, int flags) {
        FileDescription d = n.description;
        if (d instanceof TtyFile) {
            return ((TtyFile) d).terminal().open(t, flags);
        }
        if (d instanceof PtyMaster) {
            throw new SyscallError(Errno.EIO); // Linux would make a new pair from the ptmx inode; nobody relies on it
        }
        int acc = flags & OpenFlags.O_ACCMODE;
        if ((OpenFlags.readable(flags) && !OpenFlags.readable(d.flags))
                || (OpenFlags.writable(flags) && !OpenFlags.writable(d.flags)) || acc == 3) {
            throw new SyscallError(Errno.EACCES);
        }
        d.incRef();
        return d;
    }

    /** O_TMPFILE: an unnamed regular file in the directory, which linkat(AT_EMPTY_PATH) may name later. */
    private static FileDescription tmpfile(Task t, int dirfd, String path, int flags, int mode) {
        int acc = flags & OpenFlags.O_ACCMODE;
        if (acc != OpenFlags.O_WRONLY && acc != OpenFlags.O_RDWR) {
            throw new SyscallError(Errno.EINVAL);
        }
        Inode dir = FsAt.resolve(t, dirfd, path, true);
        if (!dir.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        FsAt.mayModify(t, dir);
        Inode i = t.kernel.vfs.newInode(Inode.S_IFREG | (mode & 07777 & ~t.fs.umask));
        i.linkable = (flags & OpenFlags.O_EXCL) == 0;
        FsAt.owned(t, dir, i);
        String d = dir.pathFrom(null);
        String where = (d == null || d.equals("/") ? "" : d) + "/#" + i.ino;
        return new RegularFile(t.kernel.vfs, i, where, flags & ~(OpenFlags.O_TMPFILE | OpenFlags.O_CREAT));
    }

    static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4, MFD_NOEXEC_SEAL = 8, MFD_EXEC = 0x10;

    /** memfd_create: an anonymous regular file, optionally sealable. */
    static long memfdCreate(Task t, long nameAddr, int flags) {
        if ((flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)) != 0
                || (flags & (MFD_NOEXEC_SEAL | MFD_EXEC)) == (MFD_NOEXEC_SEAL | MFD_EXEC)) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((flags & MFD_HUGETLB) != 0) {
            throw new SyscallError(Errno.EINVAL); // no huge pages here
        }
        byte[] name = UserMemory.cstring(t, nameAddr, 4096);
        if (name.length > 249) {
            throw new SyscallError(Errno.EINVAL);
        }
        Vfs vfs = t.kernel.vfs;
        boolean noexec = (flags & MFD_NOEXEC_SEAL) != 0;
        Inode i = vfs.newInode(Inode.S_IFREG | (noexec ? 0666 : 0777));
        i.uid = t.cred().fsuid;
        i.gid = t.cred().fsgid;
        boolean sealable = (flags & MFD_ALLOW_SEALING) != 0 || noexec;
        i.seals = sealable ? (noexec ? dev.friscy.fs.Seals.EXEC : 0) : -1;
        String where = "/memfd:" + new String(name, StandardCharsets.ISO_8859_1);
        FileDescription f = new RegularFile(vfs, i, where, OpenFlags.O_RDWR);
        try {
            return t.files.install(f, 0, (flags & MFD_CLOEXEC) != 0);
        } catch (SyscallError e) {
            f.decRef();
            throw e;
        }
    }

    // ------------------------------------------------------------ getdents64

    static long getdents64(Task t, int fd, long buf, long len) {
        FileDescription f = t.files.get(fd);
        if (!(f instanceof DirectoryFile)) {
            throw new SyscallError(f instanceof PathFile ? Errno.EBADF : Errno.ENOTDIR);
        }
        DirectoryFile d = (DirectoryFile) f;
        int cap = (int) Math.min(Math.max(len, 0), 1 << 20);
        byte[] out = new byte[cap];
        int used = 0;
        FsContext ctx = t.fs;
        while (true) {
            DirectoryFile.Entry e = d.peek(t, ctx);
            if (e == null) {
                break;
            }
            byte[] name = e.name.getBytes(StandardCharsets.ISO_8859_1);
            int reclen = (19 + name.length + 1 + 7) & ~7;
            if (used + reclen > cap) {
                if (used == 0) {
                    throw new SyscallError(Errno.EINVAL);
                }
                break;
            }
            put64(out, used, e.ino);
            put64(out, used + 8, e.nextOff);
            out[used + 16] = (byte) reclen;
            out[used + 17] = (byte) (reclen >> 8);
            out[used + 18] = (byte) e.type;
            System.arraycopy(name, 0, out, used + 19, name.length);
            used += reclen;
            d.advance(e);
        }
        UserMemory.write(t, buf, out, 0, used);
        d.accessed();
        return used;
    }

    static void put64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static void put32(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    // ------------------------------------------------------------ close_range

    static long closeRange(Task t, long lo, long hi, int flags) {
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0 || Long.compareUnsigned(lo, hi) > 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        // fds are unsigned ints here; the range may well be [3, ~0U]
        long loU = lo & 0xffffffffL;
        long hiU = hi & 0xffffffffL;
        int n = t.files.size();
        if (loU >= n) {
            return 0;
        }
        int top = (int) Math.min(hiU, n - 1);
        if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
            t.files.closeRange((int) loU, top, true);
        } else {
            for (int fd = (int) loU; fd <= top; fd++) {
                if (t.files.getOrNull(fd) != null) {
                    SysFile.closeFd(t, fd);
                }
            }
        }
        return 0;
    }
}
